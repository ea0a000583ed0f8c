import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { check, FLUX_SYSTEM_SYNC, fluxKs } from '../../helpers/repo';
import { indexJson } from '../../../server/src/output/index-json';
import { RepoModel } from '../../../server/src/model/model';
import { ParseCache } from '../../../server/src/model/parse-cache';
import { parsedData } from '../../../server/src/model/parse';
import { RULE_IDS } from '../../../server/src/rules';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const initial: Record<string, string> = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './environments/apps/web'),
  'environments/core/dns/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dns\n',
  'environments/apps/web/kustomization.yaml': 'namespace: web\nresources:\n  - cm.yaml\n  - multi.yaml\n',
  'environments/apps/web/cm.yaml': cm('web'),
  'environments/apps/web/multi.yaml': `${cm('one')}---\n${cm('two')}`,
};

/** Edits made while nothing runs: structural, content, broken YAML, duplicate keys, Helm templates, deletions. */
const edits: Array<[string, string | undefined]> = [
  ['clusters/prod/apps.yaml', fluxKs('apps', './environments/apps/webb')],
  ['clusters/prod/apps.yaml', fluxKs('apps', './environments/apps/web', '  dependsOn:\n    - name: core\n')],
  ['clusters/prod/core.yaml', fluxKs('core', './environments/core')],
  ['clusters/prod/core.yaml', undefined],
  ['environments/apps/web/kustomization.yaml', 'namespace: web\nresources:\n  - cm.yaml\n  - extra.yaml\n'],
  ['environments/apps/web/extra.yaml', cm('extra')],
  ['environments/apps/web/extra.yaml', undefined],
  ['environments/apps/web/cm.yaml', cm('renamed')],
  ['environments/apps/web/cm.yaml', 'a: "broken'],
  ['environments/apps/web/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n'],
  ['environments/apps/web/multi.yaml', `${cm('one')}---\n${cm('three')}---\n{ unclosed`],
  ['environments/apps/web/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 1.0.0\n'],
  ['environments/apps/web/Chart.yaml', undefined],
  ['environments/apps/web/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n'],
  ['.gitops-guardrails.yaml', 'rules:\n  flux/path-not-found: warning\n'],
  ['.gitops-guardrails.yaml', undefined],
];

function writeRepo(root: string, files: Map<string, string>): void {
  rmSync(root, { recursive: true, force: true });
  for (const [file, text] of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

/** What a model answers: its index, every finding, and each file's parsed data and documents. */
function snapshot(model: RepoModel) {
  const files = [...model.files.values()].map((file) => ({
    data: parsedData(file),
    documents: file.documents.map((d) => ({ range: d.range, errors: d.errors.length, value: safeJs(d) })),
  }));
  return { index: indexJson(model), findings: check(model).map((f) => ({ ...f, fixes: f.fixes?.map((x) => x.title) })), files };
}

function safeJs(doc: { toJS: () => unknown }): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    return String(error);
  }
}

async function warmLoad(root: string, cacheDir: string, parseWorkers = 0): Promise<{ model: RepoModel; hits: number }> {
  const cache = await ParseCache.open(cacheDir, root);
  const size = cache.size;
  const model = await RepoModel.load(root, RULE_IDS, undefined, { cache, parseWorkers });
  await cache.save();
  return { model, hits: size };
}

test('a model loaded from a warm parse cache after edits made while nothing ran equals one built cold', async () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'gitops-guardrails-parse-cache-'));
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: edits.length - 1 }), { minLength: 1, maxLength: 8 }), fc.boolean(), fc.boolean(), async (sequence, twice, workers) => {
        const root = path.join(scratch, 'repo');
        const cacheDir = path.join(scratch, 'cache');
        rmSync(cacheDir, { recursive: true, force: true });
        const files = new Map(Object.entries(initial));
        writeRepo(root, files);
        // The first run fills the cache (with parse workers or on the main thread).
        await warmLoad(root, cacheDir, workers ? 2 : 0);
        // Edits while the server is down, then a restart (sometimes two, with more edits between).
        const rounds = twice ? [sequence.slice(0, sequence.length >> 1), sequence.slice(sequence.length >> 1)] : [sequence];
        let warm: RepoModel | undefined;
        for (const round of rounds) {
          for (const i of round) {
            const [file, text] = edits[i];
            if (text === undefined) files.delete(file);
            else files.set(file, text);
          }
          writeRepo(root, files);
          const loaded = await warmLoad(root, cacheDir);
          assert.ok(loaded.hits > 0, 'the cache was used');
          warm = loaded.model;
        }
        const cold = await RepoModel.load(root, RULE_IDS, undefined, { parseWorkers: 0 });
        assert.deepEqual(snapshot(warm!), snapshot(cold));
      }),
      { numRuns: 25 },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('a damaged, truncated, foreign or other-repository cache file is ignored, and rewritten', async () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'gitops-guardrails-parse-cache-'));
  try {
    const root = path.join(scratch, 'repo');
    const cacheDir = path.join(scratch, 'cache');
    writeRepo(root, new Map(Object.entries(initial)));
    await warmLoad(root, cacheDir);
    const [name] = readdirSync(path.join(cacheDir, 'parse-v1'));
    const file = path.join(cacheDir, 'parse-v1', name);
    const good = readFileSync(file);
    const cold = snapshot(await RepoModel.load(root, RULE_IDS, undefined, { parseWorkers: 0 }));

    const flipped = Buffer.from(good);
    flipped[flipped.length - 10] ^= 0xff;
    const damaged: [string, Buffer][] = [
      ['a flipped byte', flipped],
      ['a truncated file', good.subarray(0, good.length >> 1)],
      ['an empty file', Buffer.alloc(0)],
      ['text', Buffer.from('not a cache')],
    ];
    for (const [what, bytes] of damaged) {
      writeFileSync(file, bytes);
      const cache = await ParseCache.open(cacheDir, root);
      assert.equal(cache.size, 0, `${what} is not trusted`);
      const model = await RepoModel.load(root, RULE_IDS, undefined, { cache, parseWorkers: 0 });
      assert.deepEqual(snapshot(model), cold, what);
      await cache.save();
      assert.ok((await ParseCache.open(cacheDir, root)).size > 0, `${what} is rewritten`);
    }

    // Another repository's cache (same folder, another root) holds nothing for this one.
    const other = path.join(scratch, 'other');
    writeRepo(other, new Map(Object.entries(initial)));
    assert.equal((await ParseCache.open(cacheDir, other)).size, 0);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('a cache file written by another format or build is ignored', async () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'gitops-guardrails-parse-cache-'));
  try {
    const root = path.join(scratch, 'repo');
    const cacheDir = path.join(scratch, 'cache');
    writeRepo(root, new Map(Object.entries(initial)));
    await warmLoad(root, cacheDir);
    const [name] = readdirSync(path.join(cacheDir, 'parse-v1'));
    const file = path.join(cacheDir, 'parse-v1', name);
    const { createHash } = await import('node:crypto');
    const { deserialize, serialize } = await import('node:v8');
    const payload = deserialize(readFileSync(file).subarray(32));
    for (const change of [{ format: payload.format + 1 }, { build: `${payload.build}-other` }, { magic: 'something else' }]) {
      const body = serialize({ ...payload, ...change });
      writeFileSync(file, Buffer.concat([createHash('sha256').update(body).digest(), body]));
      assert.equal((await ParseCache.open(cacheDir, root)).size, 0, JSON.stringify(change));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
