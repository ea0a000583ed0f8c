// Writes are atomic: a failure between any two steps leaves the old file whole and no stray file;
// a creation never replaces a file; a fix applied twice changes nothing more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../server/src/writes';
import { refuseEncryptedEdits, writeFix } from '../../server/src/fixes';
import type { Fix } from '../../server/src/rules/types';
import { codeActionsFor } from '../../server/src/features/diagnostics';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'gg-writes-'));
}

test('a failure after the write or after the fsync leaves the old text and no temporary file', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'a.yaml');
    writeFileSync(file, 'old: text\n');
    for (const failAt of ['written', 'synced'] as const) {
      await assert.rejects(
        writeFileAtomic(file, 'new: text\n', { afterStep: (step) => { if (step === failAt) throw new Error(`killed after ${step}`); } }),
        { message: `killed after ${failAt}` },
      );
      assert.equal(readFileSync(file, 'utf8'), 'old: text\n');
      assert.deepEqual(readdirSync(dir), ['a.yaml']);
    }
    await writeFileAtomic(file, 'new: text\n');
    assert.equal(readFileSync(file, 'utf8'), 'new: text\n');
    assert.deepEqual(readdirSync(dir), ['a.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an existing file keeps its mode; a creation never replaces a file', { skip: process.platform === 'win32' ? 'POSIX modes' : false }, async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'secret.yaml');
    writeFileSync(file, 'a: 1\n');
    chmodSync(file, 0o640);
    await writeFileAtomic(file, 'a: 2\n');
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.equal(await writeFileAtomic(file, 'a: 3\n', { createOnly: true }), false);
    assert.equal(readFileSync(file, 'utf8'), 'a: 2\n');
    assert.equal(await writeFileAtomic(path.join(dir, 'new.yaml'), 'b: 1\n', { createOnly: true }), true);
    assert.equal(readFileSync(path.join(dir, 'new.yaml'), 'utf8'), 'b: 1\n');
    assert.deepEqual(readdirSync(dir).sort(), ['new.yaml', 'secret.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const insertLine: Fix = {
  title: 'Add b',
  safe: true,
  changes: [
    { kind: 'edit', file: 'a.yaml', edits: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'b: 2\n' }] },
    { kind: 'create', file: 'sub/c.yaml', text: 'c: 3\n' },
  ],
};

test('writeFix reads each file again: a file changed since the check skips the whole fix; applied twice, it changes nothing more', async () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, 'a.yaml'), 'a: 1\n');
    const checked = 'a: 1\n';
    assert.deepEqual(await writeFix(dir, insertLine, () => checked), { changed: ['a.yaml', 'sub/c.yaml'] });
    assert.equal(readFileSync(path.join(dir, 'a.yaml'), 'utf8'), 'a: 1\nb: 2\n');
    // The same fix, computed from the text before it was applied (a second run, an old check).
    assert.deepEqual(await writeFix(dir, insertLine, () => checked), { changed: [], skipped: 'a.yaml changed since the check' });
    assert.equal(readFileSync(path.join(dir, 'a.yaml'), 'utf8'), 'a: 1\nb: 2\n');
    assert.deepEqual(readdirSync(path.join(dir, 'sub')), ['c.yaml']);
    // A creation whose file is there with other content is skipped; with the same content it is done already.
    const createOnly: Fix = { title: 'Create c', safe: true, changes: [insertLine.changes[1]] };
    assert.deepEqual(await writeFix(dir, createOnly), { changed: [] });
    writeFileSync(path.join(dir, 'sub/c.yaml'), 'c: 4\n');
    assert.deepEqual(await writeFix(dir, createOnly), { changed: [], skipped: 'sub/c.yaml exists already' });
    assert.equal(readFileSync(path.join(dir, 'sub/c.yaml'), 'utf8'), 'c: 4\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a fix that edits a SOPS-encrypted file is refused with the reason, and writeFix writes nothing', async () => {
  const [fix] = refuseEncryptedEdits([insertLine], (file) => file === 'a.yaml');
  assert.equal(fix.refused, 'a.yaml is SOPS-encrypted: an edit would break the MAC, so it is not applied as plain text; use Edit Decrypted (SOPS) and make the change there');
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, 'a.yaml'), 'a: 1\n');
    assert.deepEqual(await writeFix(dir, fix), { changed: [], skipped: fix.refused });
    assert.deepEqual(readdirSync(dir), ['a.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Creating a file beside an encrypted one is not editing it.
  assert.equal(refuseEncryptedEdits([insertLine], (file) => file === 'sub/c.yaml')[0].refused, undefined);
});

test('the editor gets a refused fix as a disabled code action with the reason, never as an edit', () => {
  const [fix] = refuseEncryptedEdits([insertLine], (file) => file === 'a.yaml');
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const [action] = codeActionsFor('/repo', [{ rule: 'resources/missing', severity: 'warning', message: 'm', file: 'a.yaml', range, fixes: [fix] }], range);
  assert.equal(action.title, 'Add b');
  assert.deepEqual(action.disabled, { reason: fix.refused });
  assert.equal(action.edit, undefined);
  const [plain] = codeActionsFor('/repo', [{ rule: 'resources/missing', severity: 'warning', message: 'm', file: 'a.yaml', range, fixes: [insertLine] }], range);
  assert.ok(plain.edit && !plain.disabled);
});
