// The first index of a large repository does not hold the editor up (issue 15): requests are
// answered while it runs, and the open file's diagnostics come before the rest. Asserted as the
// order of what the server sends (its `$/progress` end closes the index), never as timings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic, DocumentSymbol } from 'vscode-languageserver-protocol/node';
import { generateFiles } from '../../bench/generate';
import { TestClient } from '../helpers/lsp-client';

/** Enough files that the index takes many steps: the generator's dense profile (about 3.4 documents a file). */
const FILES = 1000;
/** A bound for a loaded machine, never a claim about speed. */
const INDEX_TIMEOUT = 300_000;

describe('while the first index runs', () => {
  let root: string;
  let client: TestClient;
  let open: { file: string; text: string };
  const answers = new Map<string, unknown>();
  const answered: Promise<unknown>[] = [];

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'gg-lsp-index-'));
    const files = generateFiles(FILES, 7, 'dense');
    for (const [file, text] of files) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    // A kustomization.yaml that lists a file that does not exist: kustomize/missing-resource, an
    // error only the whole repository can confirm (a cluster must apply the folder).
    const [file, text] = [...files].find(([f, t]) => f.endsWith('/kustomization.yaml') && t.includes('missing.yaml'))!;
    open = { file, text };
    client = await TestClient.start(root);
    await client.open(file, text);
    const uri = client.uri(file);
    // Sent at once, before the server can have read the repository.
    const ask = (method: string, params: unknown) =>
      answered.push(
        client.connection.sendRequest(method, params).then((answer) => {
          answers.set(method, answer);
          client.note(`answer ${method}`);
        }),
      );
    ask('textDocument/documentSymbol', { textDocument: { uri } });
    ask('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
    ask('gitopsGuardrails/clusters', undefined);
    ask('textDocument/documentLink', { textDocument: { uri } });
    await client.waitFor(() => client.events.includes('progress end'), 'the end of the index ($/progress end)', INDEX_TIMEOUT);
    await Promise.all(answered);
  });

  after(async () => {
    await client?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('requests are answered before the index ends, and what they say holds once it has', async () => {
    const end = client.events.indexOf('progress end');
    for (const method of ['textDocument/documentSymbol', 'textDocument/hover', 'gitopsGuardrails/clusters', 'textDocument/documentLink']) {
      const at = client.events.indexOf(`answer ${method}`);
      assert.ok(at >= 0 && at < end, `${method} answered before the index ended: ${client.events.filter((e) => !e.startsWith('progress report')).slice(0, 12).join(', ')}`);
    }
    const uri = client.uri(open.file);
    // From the open buffer alone while the model loaded: the same symbols as from the whole model.
    const symbols = answers.get('textDocument/documentSymbol') as DocumentSymbol[];
    assert.ok(symbols.length > 0);
    assert.deepEqual(symbols, await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }));
    // From the loaded model while the rules ran: every cluster, and the links of the whole repository.
    const clusters = answers.get('gitopsGuardrails/clusters') as { label?: string; name?: string }[];
    const after = (await client.connection.sendRequest('gitopsGuardrails/clusters')) as typeof clusters;
    assert.equal(clusters.length, 3);
    assert.deepEqual(
      clusters.map((c) => c.name ?? c.label),
      after.map((c) => c.name ?? c.label),
    );
    assert.deepEqual(answers.get('textDocument/documentLink'), await client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } }));
  });

  test("the open file's diagnostics come before the index ends and before any other file's, and never say more than the whole check", () => {
    const uri = client.uri(open.file);
    const end = client.events.indexOf('progress end');
    const firstOwn = client.published.findIndex((p) => p.uri === uri && p.diagnostics.length > 0);
    assert.ok(firstOwn >= 0, 'the open file has diagnostics');
    assert.ok(client.events.indexOf(`diagnostics ${uri}`) < end, 'published before the index ended');
    const othersBefore = client.published.slice(0, firstOwn).filter((p) => p.uri !== uri && p.diagnostics.length > 0);
    assert.deepEqual(
      othersBefore.map((p) => p.uri),
      [],
      'no other file before the open one',
    );
    const final = client.diagnosticsOf(open.file);
    assert.ok(final.some((d) => d.code === 'kustomize/missing-resource'));
    const key = (d: Diagnostic) => JSON.stringify([d.code, d.severity, d.message, d.range]);
    const finalKeys = new Set(final.map(key));
    for (const early of client.published.filter((p) => p.uri === uri)) {
      for (const d of early.diagnostics) assert.ok(finalKeys.has(key(d)), `published early, not in the final list: ${key(d)}`);
    }
  });
});
