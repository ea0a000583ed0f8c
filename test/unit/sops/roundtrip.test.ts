/** Property: any document survives encrypt → decrypt, and an unchanged re-encryption is a no-op. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { decrypt, encrypt, reencrypt } from '../../../server/src/sops/index';
import { emitYaml } from '../../../server/src/sops/yamlEmit';
import { parseYaml } from '../../../server/src/sops/yamlParse';
import { emitJson, parseJson } from '../../../server/src/sops/jsonStore';
import type { SopsComment, SopsMapping, SopsNode, SopsPair } from '../../../server/src/sops/tree';
import { TEST_IDENTITY, TEST_RECIPIENT } from './fixture-keys';

const tricky = fc.constantFrom('', '123', '014', '1_000', '0x1F', 'true', 'yes', 'null', '~', '2024-01-01', '1.5', '- x', 'a: b', '#c', 'ENC[nope]', ' lead', 'multi\nline\n', 'tab\there', 'ünïcødé ✓');
const text = fc.oneof(tricky, fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 8 }));
const key = fc.oneof(fc.constantFrom('a', 'b', 'password', 'x_unencrypted', '10', 'yes', 'key with space', 'data'), fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/));
const comment = fc.oneof(fc.constantFrom(' a comment', 'tight', ' ENC-looking text'), fc.stringMatching(/^ [ -~]{0,20}$/)).map((t): SopsComment => ({ kind: 'comment', text: t.trimEnd() }));
const scalar: fc.Arbitrary<SopsNode> = fc.oneof(
  text.map((value) => ({ kind: 'str' as const, value })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ kind: 'int' as const, value })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => ({ kind: 'float' as const, value })),
  fc.boolean().map((value) => ({ kind: 'bool' as const, value })),
  fc.constant({ kind: 'null' as const }),
);

const node = fc.letrec<{ node: SopsNode; map: SopsMapping; seq: SopsNode }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
  map: fc
    .uniqueArray(fc.tuple(key, tie('node'), fc.option(comment, { freq: 3 })), { selector: ([k]) => k, maxLength: 4 })
    .map((entries) => ({
      kind: 'map' as const,
      items: entries.flatMap(([k, v, c]) => [...(c ? [c] : []), { kind: 'pair' as const, key: k, value: v } as SopsPair]),
    })),
  seq: fc.array(fc.tuple(tie('node'), fc.option(comment, { freq: 3 })), { maxLength: 4 }).map((entries) => ({
    kind: 'seq' as const,
    items: entries.flatMap(([v, c]) => [...(c ? [c] : []), v]),
  })),
}));

const topMap = node.map.filter((m) => m.items.every((i) => i.kind !== 'pair' || i.key !== 'sops'));
const documents = fc.array(topMap, { minLength: 1, maxLength: 3 });

/**
 * Comments leading a collection that is a sequence item are written above its `- `, so they come
 * back as items of the sequence (same AAD: sequence items add nothing to the path).
 */
function hoistLeadingComments<T extends SopsNode>(node: T): T {
  if (node.kind === 'map') return { ...node, items: node.items.map((i) => (i.kind === 'pair' ? { ...i, value: hoistLeadingComments(i.value) } : i)) };
  if (node.kind !== 'seq') return node;
  const items: Array<SopsNode | SopsComment> = [];
  for (const item of node.items) {
    if (item.kind === 'comment' || (item.kind !== 'map' && item.kind !== 'seq')) {
      items.push(item);
      continue;
    }
    const inner = hoistLeadingComments(item);
    const isLeaf = (i: (typeof inner.items)[number]) => i.kind !== 'comment';
    const lead = inner.items.findIndex(isLeaf);
    if (lead <= 0) {
      items.push(inner);
      continue;
    }
    items.push(...(inner.items.slice(0, lead) as SopsComment[]), { ...inner, items: inner.items.slice(lead) } as SopsNode);
  }
  return { ...node, items };
}

describe('round trip', () => {
  test('YAML: parse(emit(tree)) is the tree', () => {
    fc.assert(
      fc.property(documents, (docs) => {
        assert.deepEqual(parseYaml(emitYaml(docs), 'gen.yaml').branches, docs.map(hoistLeadingComments));
      }),
      { numRuns: 300 },
    );
  });

  test('YAML: decrypt(encrypt(text)) is the text; re-encrypting it unchanged gives the same file', async () => {
    await fc.assert(
      fc.asyncProperty(documents, async (docs) => {
        const plain = emitYaml(docs);
        const encrypted = await encrypt(plain, { recipients: [TEST_RECIPIENT], format: 'yaml' });
        assert.equal(await decrypt(encrypted, { identities: [TEST_IDENTITY], format: 'yaml' }), plain);
        assert.equal(await reencrypt(encrypted, plain, { identities: [TEST_IDENTITY], format: 'yaml' }), encrypted);
      }),
      { numRuns: 60 },
    );
  });

  test('JSON: decrypt(encrypt(text)) is the text', async () => {
    const noComments = (n: SopsNode): SopsNode =>
      n.kind === 'map'
        ? { kind: 'map', items: n.items.filter((i): i is SopsPair => i.kind === 'pair').map((p) => ({ ...p, value: noComments(p.value) })) }
        : n.kind === 'seq'
          ? { kind: 'seq', items: n.items.filter((i): i is SopsNode => i.kind !== 'comment').map(noComments) }
          : n;
    await fc.assert(
      fc.asyncProperty(topMap, async (doc) => {
        const tree = noComments(doc) as SopsMapping;
        const plain = emitJson(tree);
        assert.deepEqual(parseJson(plain, 'gen.json').branch, tree);
        const encrypted = await encrypt(plain, { recipients: [TEST_RECIPIENT], format: 'json' });
        assert.equal(await decrypt(encrypted, { identities: [TEST_IDENTITY], format: 'json' }), plain);
      }),
      { numRuns: 60 },
    );
  });
});
