import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID, poll } from './helpers';

suite('onboarding', () => {
  test('the Get Started walkthrough is contributed with its five steps and opens', async () => {
    const extension = await activateExtension();
    const [walkthrough] = (extension.packageJSON.contributes.walkthroughs ?? []) as { id: string; steps: { id: string }[] }[];
    assert.ok(walkthrough, 'no walkthrough contributed');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['open', 'findings', 'fix', 'encrypt', 'graph']);
    const before = vscode.window.tabGroups.all.flatMap((g) => g.tabs).length;
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${walkthrough.id}`, false);
    // The walkthrough opens in the Welcome page's editor.
    await poll('the walkthrough editor', 20_000, () => {
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      return tabs.length > before && tabs.some((t) => /welcome|walkthrough|get started/i.test(t.label)) ? true : undefined;
    });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
