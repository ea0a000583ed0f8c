/** What the built-in engine does not handle goes to the sops binary, spawned without a shell. */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decrypt, decryptFile, encrypt, findSopsBinary } from '../../../server/src/sops/index';
import { needsVectors, vector } from './helpers';
import { MOCK_IDENTITY } from './fixture-keys';

let dir: string;
let fakeSops: string;
let failingSops: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gg sops; bin-'));
  // A stand-in for sops: records its argv and stdin, answers on stdout.
  fakeSops = join(dir, 'sops');
  writeFileSync(
    fakeSops,
    `#!${process.execPath}
const fs = require('fs');
const input = fs.readFileSync(0, 'utf8');
fs.writeFileSync(${JSON.stringify(join(dir, 'call.json'))}, JSON.stringify({ argv: process.argv.slice(2), input }));
process.stdout.write('from: fake-sops\\n');
`,
  );
  chmodSync(fakeSops, 0o755);
  failingSops = join(dir, 'sops-failing');
  writeFileSync(failingSops, `#!${process.execPath}\nprocess.stderr.write('Failed to get the data key required to decrypt the SOPS file.\\n');\nprocess.exit(128);\n`);
  chmodSync(failingSops, 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const lastCall = () => JSON.parse(readFileSync(join(dir, 'call.json'), 'utf8')) as { argv: string[]; input: string };

describe('sops binary fallback', () => {
  test('absent from PATH: a clear error naming what is missing', { skip: needsVectors }, async () => {
    await assert.rejects(decrypt(vector('pgp/example.yaml'), { filePath: '/repo/s.yaml', identities: [], sopsBinary: { env: { PATH: '' } } }), {
      code: 'BINARY_MISSING',
      message: '/repo/s.yaml: a file whose data key is wrapped only with pgp master keys needs the sops binary, but no sops binary was found on PATH; install sops or set its path',
    });
  });

  test('ini and dotenv files go to the binary', async () => {
    await assert.rejects(decrypt('a=b\n', { filePath: '/repo/app.env', sopsBinary: { env: { PATH: '' } } }), {
      code: 'BINARY_MISSING',
      message: '/repo/app.env: a dotenv file needs the sops binary, but no sops binary was found on PATH; install sops or set its path',
    });
  });

  test('sops is found on PATH', () => {
    assert.equal(findSopsBinary({ env: { PATH: `/nonexistent:${dir}` } }), fakeSops);
    assert.equal(findSopsBinary({ env: { PATH: '/nonexistent' } }), undefined);
  });

  test('spawned with an argument array; text through stdin, result from stdout', { skip: needsVectors }, async () => {
    const filePath = join(dir, 'odd name; $(touch x).yaml');
    const text = vector('pgp/format.enc.yaml');
    const result = await decryptFile(text, { filePath, identities: [], sopsBinary: { binaryPath: fakeSops } });
    assert.equal(result.backend, 'binary');
    assert.equal(result.plaintext, 'from: fake-sops\n');
    const call = lastCall();
    assert.deepEqual(call.argv, ['decrypt', '--filename-override', filePath, '--input-type', 'yaml', '--output-type', 'yaml', '/dev/stdin']);
    assert.equal(call.input, text);
  });

  test('an age file that no loaded identity opens falls back to the binary when it also has PGP keys', { skip: needsVectors }, async () => {
    const withBoth = vector('age/example.yaml').replace('    pgp: []\n', '    pgp:\n        - fp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4\n          created_at: "2020-01-01T00:00:00Z"\n          enc: x\n');
    const result = await decryptFile(withBoth, { filePath: join(dir, 'e.yaml'), identities: [MOCK_IDENTITY], sopsBinary: { binaryPath: fakeSops } });
    assert.equal(result.backend, 'binary');
    await assert.rejects(decrypt(withBoth, { filePath: 'e.yaml', identities: [MOCK_IDENTITY], sopsBinary: false }), { code: 'NO_MATCHING_KEY' });
  });

  test('a failing binary: exit code and its message', { skip: needsVectors }, async () => {
    await assert.rejects(decrypt(vector('pgp/format.enc.yaml'), { filePath: '/repo/f.yaml', identities: [], sopsBinary: { binaryPath: failingSops } }), {
      code: 'BINARY_FAILED',
      message: '/repo/f.yaml: sops decrypt failed (exit 128): Failed to get the data key required to decrypt the SOPS file.',
    });
  });

  test('encrypting for a PGP rule pipes the plaintext to sops encrypt', async () => {
    const rule = { configPath: '/repo/.sops.yaml', index: 0, age: [], foreign: { pgp: ['FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4'] }, hasKeyGroups: false, selection: { key: 'unencrypted_suffix' as const, value: '_unencrypted' }, macOnlyEncrypted: false };
    const out = await encrypt('password: p\n', { filePath: join(dir, 's.yaml'), creationRule: rule, sopsBinary: { binaryPath: fakeSops } });
    assert.equal(out, 'from: fake-sops\n');
    assert.deepEqual(lastCall(), { argv: ['encrypt', '--filename-override', join(dir, 's.yaml'), '--input-type', 'yaml', '--output-type', 'yaml', '/dev/stdin'], input: 'password: p\n' });
  });

  test('the binary can be turned off', { skip: needsVectors }, async () => {
    await assert.rejects(decrypt(vector('pgp/format.enc.yaml'), { filePath: 'f.yaml', identities: [], sopsBinary: false }), {
      code: 'UNSUPPORTED',
      message: 'f.yaml: a file whose data key is wrapped only with pgp master keys is not supported by the built-in SOPS engine',
    });
  });
});
