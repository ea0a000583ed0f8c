import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { TestClient } from '../helpers/lsp-client';
import { resultCacheFile } from '../../server/src/result-cache';

const EXAMPLE = path.resolve(__dirname, '../../examples/layered-repo');

test('a restart publishes the stored diagnostics before indexing, then what the check confirms', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gg-lsp-warm-'));
  cpSync(EXAMPLE, root, { recursive: true });
  const file = resultCacheFile(process.env.GITOPS_GUARDRAILS_CACHE_DIR!, root);
  let client = await TestClient.ready(root);
  try {
    const cold = client.diagnosticsOf('clusters/staging/apps.yaml');
    assert.ok(cold.some((d) => d.code === 'flux/path-not-found'));
    // The first index stores its findings in the background, after publishing.
    for (let i = 0; i < 300 && !existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(existsSync(file), `the findings were stored; stderr: ${client.stderr.join('')}`);
    await client.stop();

    // A finding only the cache holds, on a file with none: published first, then cleared by the check.
    const payload = deserialize(readFileSync(file).subarray(32));
    const planted = { rule: 'planted/by-the-test', severity: 'warning', message: 'only the cache says this', file: 'README.md', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
    const body = serialize({ ...payload, findings: [...payload.findings, planted] });
    writeFileSync(file, Buffer.concat([createHash('sha256').update(body).digest(), body]));

    client = await TestClient.start(root);
    await client.waitForModelChange();
    const readme = client.uri('README.md');
    const apps = client.uri('clusters/staging/apps.yaml');
    const plantedAt = client.published.findIndex((p) => p.uri === readme && p.diagnostics.some((d) => d.code === 'planted/by-the-test'));
    assert.ok(plantedAt >= 0, 'the stored diagnostics were published');
    const clearedAt = client.published.findIndex((p, i) => i > plantedAt && p.uri === readme && p.diagnostics.length === 0);
    assert.ok(clearedAt > plantedAt, 'the check cleared what it does not confirm');
    const storedApps = client.published.findIndex((p) => p.uri === apps);
    assert.ok(storedApps >= 0 && storedApps < clearedAt, 'the stored diagnostics came before the check');
    assert.deepEqual(client.diagnosticsOf('clusters/staging/apps.yaml'), cold, 'the check publishes what a cold start did');
  } finally {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
