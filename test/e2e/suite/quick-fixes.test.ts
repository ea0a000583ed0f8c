import * as assert from 'node:assert/strict';
import { activateExtension, applyCodeAction, revertFile, ruleOf, waitForDiagnostics, workspaceFile } from './helpers';

suite('quick fixes', () => {
  test('flux/path-not-found: pointing spec.path at the deepest existing folder (offered by name) clears the finding', async () => {
    await activateExtension();
    const uri = workspaceFile('clusters/staging/apps.yaml');
    const isPathNotFound = (d: { code?: unknown }) => ruleOf(d as never) === 'flux/path-not-found';
    const [finding] = (await waitForDiagnostics(uri, (ds) => ds.some(isPathNotFound))).filter(isPathNotFound);
    try {
      const action = await applyCodeAction(uri, finding!, /^Change spec\.path to the whole of \.\/environments\/apps\/podinfo$/);
      assert.equal(action.kind?.value, 'quickfix');
      await waitForDiagnostics(uri, (ds) => !ds.some(isPathNotFound));
    } finally {
      await revertFile(uri);
    }
    // Back to the file on disk, the finding is back: the example is unchanged for later tests.
    await waitForDiagnostics(uri, (ds) => ds.some(isPathNotFound));
  });
});
