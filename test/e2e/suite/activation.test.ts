import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID, E2E_ENV, isOpen, poll, relativePath, ruleOf, waitForAnyDiagnostic } from './helpers';

// Titles tagged @smoke also run against the installed .vsix.
suite('activation @smoke', () => {
  test('the extension activates on the layered-repo workspace', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    // Its activation events (workspaceContains), not this test, must start it.
    await poll(`${EXTENSION_ID} to activate by itself`, 30_000, () => (extension.isActive ? true : undefined));
    await activateExtension();
    const expectedRoot = process.env[E2E_ENV.expectedExtensionRoot];
    if (expectedRoot) {
      const relative = path.relative(expectedRoot, extension.extensionPath);
      assert.ok(!relative.startsWith('..') && !path.isAbsolute(relative),
        `the tested extension lives in ${extension.extensionPath}, not under ${expectedRoot}`);
    }
  });

  test('diagnostics appear for a file that was never opened', async () => {
    await activateExtension();
    const [uri, diagnostic] = await waitForAnyDiagnostic((candidate) => !isOpen(candidate));
    assert.ok(!path.isAbsolute(relativePath(uri)), `${uri.toString()} is outside the workspace`);
    assert.match(ruleOf(diagnostic), /^[a-z]+\/[a-z-]+$/, `diagnostic code "${ruleOf(diagnostic)}" is not a rule id`);
  });
});
