/** SOPS_AGE_KEY_CMD runs a program: the sops binary gets it only with the same consent as the built-in engine. */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decryptFile } from '../../../server/src/sops/index';
import { needsVectors, vector } from './helpers';

let dir: string;
let fakeSops: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gg-key-cmd-'));
  // A stand-in for sops that records whether it was given SOPS_AGE_KEY_CMD.
  fakeSops = join(dir, 'sops');
  writeFileSync(fakeSops, `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(join(dir, 'env.json'))}, JSON.stringify({ keyCmd: process.env.SOPS_AGE_KEY_CMD ?? null, other: process.env.OTHER ?? null }));\nprocess.stdout.write('a: b\\n');\n`);
  chmodSync(fakeSops, 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const seen = () => JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8'));

test('without consent the sops binary does not get SOPS_AGE_KEY_CMD; with it, it does', { skip: needsVectors }, async () => {
  const env = { PATH: process.env.PATH, SOPS_AGE_KEY_CMD: 'touch /tmp/pwned', OTHER: 'kept' };
  const text = vector('pgp/format.enc.yaml');
  await decryptFile(text, { filePath: join(dir, 'f.yaml'), identities: [], sopsBinary: { binaryPath: fakeSops, env } });
  assert.deepEqual(seen(), { keyCmd: null, other: 'kept' });
  await decryptFile(text, { filePath: join(dir, 'f.yaml'), identities: [], sopsBinary: { binaryPath: fakeSops, env, allowKeyCommand: true } });
  assert.deepEqual(seen(), { keyCmd: 'touch /tmp/pwned', other: 'kept' });
});
