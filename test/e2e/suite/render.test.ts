import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, poll, workspaceFile } from './helpers';

/** The cert-manager Kustomization of clusters/us-west/core.yaml (its document starts on the first line); staging applies it too. */
const CORE = 'clusters/us-west/core.yaml';

async function renderedText(uri: vscode.Uri): Promise<string> {
  return poll('the rendered view to be filled', 30_000, async () => {
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    return text.includes('# source:') ? text : undefined;
  });
}

suite('rendered output', () => {
  test('Show Rendered Output opens the YAML Flux applies, each object with its source', async () => {
    await activateExtension();
    const core = workspaceFile(CORE);
    // What the code lens sends, with the cluster chosen (the first cluster applying it is staging).
    const args = { uri: core.toString(), position: { line: 0, character: 0 }, cluster: 'us-west' };
    // The server may still be indexing: the command answers once the cluster is known.
    const uri = await poll('the command to open a rendered view', 30_000, async () => (await vscode.commands.executeCommand<vscode.Uri | undefined>('gitopsGuardrails.showRenderedOutput', args)) ?? undefined);
    assert.equal(uri.scheme, 'gitops-render');
    assert.equal(uri.path, '/flux-system/cert-manager in us-west.yaml');
    const text = await renderedText(uri);
    assert.ok(
      text.startsWith('# source: environments/core/cert-manager/namespace.yaml:1 (Kustomization flux-system/cert-manager)\napiVersion: v1\nkind: Namespace\nmetadata:\n  labels:\n    kustomize.toolkit.fluxcd.io/name: cert-manager\n'),
      text.slice(0, 400),
    );
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    assert.ok(editor, 'the rendered view is shown');
    assert.equal(editor.document.languageId, 'yaml');
  });

  test('Compare Rendered with HEAD opens a diff editor', async () => {
    await activateExtension();
    const core = workspaceFile(CORE);
    const working = await vscode.commands.executeCommand<vscode.Uri | undefined>('gitopsGuardrails.compareRenderedWithHead', { uri: core.toString(), position: { line: 0, character: 0 }, cluster: 'us-west' });
    assert.ok(working, 'the command resolved its target');
    const tab = await poll('a diff editor to open', 30_000, () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    });
    assert.equal(tab.original.scheme, 'gitops-render');
    assert.equal(JSON.parse(tab.original.query).ref, 'HEAD');
    assert.equal(tab.modified.toString(), working.toString());
    assert.ok((await renderedText(tab.modified)).includes('name: cert-manager'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
