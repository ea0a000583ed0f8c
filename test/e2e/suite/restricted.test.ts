// Restricted Mode (an untrusted workspace): the extension activates, diagnostics and views work,
// and nothing runs a program: a file only the sops binary handles is refused, not handed to it.
// Runs only when the harness opened the workspace untrusted (E2E_ENV.restrictedSopsFile).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, E2E_ENV, poll, waitForAnyDiagnostic, workspaceFile } from './helpers';

suite('restricted mode @restricted', function () {
  suiteSetup(function () {
    if (!process.env[E2E_ENV.restrictedSopsFile]) this.skip();
  });

  test('the workspace is untrusted and the extension is active with diagnostics', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the harness should have opened the workspace untrusted');
    await activateExtension();
    const [, diagnostic] = await waitForAnyDiagnostic(() => true);
    assert.match(String(typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code), /^[a-z]+\/[a-z-]+$/);
  });

  test('the Clusters view lists the clusters', async () => {
    const api = (await activateExtension()).exports as { views?: { clusters: { getChildren(): Promise<{ label: string }[]> } } };
    assert.ok(api.views, 'the extension registered no views');
    const roots = await poll('the Clusters view to list clusters', 30_000, async () => {
      const nodes = await api.views!.clusters.getChildren();
      return nodes.length >= 2 ? nodes : undefined;
    });
    assert.deepEqual(roots.map((n) => n.label), ['staging', 'us-west']);
  });

  test('a file that needs the sops binary is refused, the binary is not run', async () => {
    await activateExtension();
    const file = workspaceFile(process.env[E2E_ENV.restrictedSopsFile]!);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(file.with({ scheme: 'gitops-sops' }))), (error: Error) => {
      assert.match(error.message, /not run here: the workspace is not trusted \(Restricted Mode\)/);
      return true;
    });
  });
});
