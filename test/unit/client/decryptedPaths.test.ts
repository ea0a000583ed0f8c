import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decryptedPath, filePath } from '../../../client/src/sops/decryptedPaths';

test('a decrypted view is named <stem> (decrypted).<ext> and maps back to its file', () => {
  for (const [file, view] of [
    ['/repo/apps/secret.sops.yaml', '/repo/apps/secret.sops (decrypted).yaml'],
    ['/repo/a.b/values.yml', '/repo/a.b/values (decrypted).yml'],
    ['/repo/noext', '/repo/noext (decrypted)'],
    ['/repo/x (decrypted).yaml', '/repo/x (decrypted) (decrypted).yaml'],
  ]) {
    assert.equal(decryptedPath(file), view);
    assert.equal(filePath(view), file);
  }
});
