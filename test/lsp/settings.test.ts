import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidChangeConfigurationNotification } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../helpers/lsp-client';

const EXAMPLE = path.resolve(__dirname, '../../examples/layered-repo');

test('rule severities from the editor settings apply at start and when the settings change', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gg-settings-'));
  cpSync(EXAMPLE, root, { recursive: true });
  const client = await TestClient.start(root, {}, { rules: { 'kustomize/unlisted-manifest': 'error', 'no/such-rule': 'error' } });
  try {
    const file = 'environments/apps/podinfo/pdb.yaml';
    const [d] = await client.waitForDiagnostics(file, (list) => list.some((x) => x.code === 'kustomize/unlisted-manifest'));
    assert.equal(d.severity, 1);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { gitopsGuardrails: { rules: { 'kustomize/unlisted-manifest': 'off' } } } });
    await client.waitForDiagnostics(file, (list) => !list.some((x) => x.code === 'kustomize/unlisted-manifest'));
  } finally {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
