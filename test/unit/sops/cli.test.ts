/** `gitops-guardrails sops encrypt|decrypt [-i] FILE`: output, exit codes and messages. */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runSopsCommand } from '../../../server/src/sops/cli';
import { MOCK_IDENTITY, TEST_IDENTITY, TEST_RECIPIENT } from './fixture-keys';

let repo: string;
const PLAIN = 'kind: Secret\nstringData:\n    password: hunter2\n';

function run(argv: string[], env: NodeJS.ProcessEnv = { SOPS_AGE_KEY: TEST_IDENTITY }) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), cwd: repo, env: { HOME: join(repo, 'home'), PATH: '', ...env } };
  return runSopsCommand(argv, io).then((code) => ({ code, stdout, stderr }));
}

before(() => {
  repo = mkdtempSync(join(tmpdir(), 'gg-sops-cli-'));
  mkdirSync(join(repo, '.git'));
  mkdirSync(join(repo, 'secrets'));
  writeFileSync(join(repo, '.sops.yaml'), `creation_rules:\n  - path_regex: ^secrets/\n    encrypted_regex: ^stringData$\n    age: ${TEST_RECIPIENT}\n`);
});
after(() => rmSync(repo, { recursive: true, force: true }));

describe('sops CLI', () => {
  test('usage errors exit 2', async () => {
    assert.deepEqual((await run([])).code, 2);
    const unknown = await run(['rotate', 'x.yaml']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^gitops-guardrails sops: unknown sops command "rotate"\nUsage:/);
    assert.equal((await run(['decrypt'])).code, 2);
    assert.match((await run(['decrypt', '--ignore-mac', 'a.yaml'])).stderr, /^gitops-guardrails sops: unknown option "--ignore-mac"/);
    assert.match((await run(['encrypt', 'a.yaml', 'b.yaml'])).stderr, /^gitops-guardrails sops: expected exactly one FILE/);
  });

  test('encrypt FILE writes to stdout using the .sops.yaml rule; decrypt FILE gives the plaintext back', async () => {
    writeFileSync(join(repo, 'secrets', 'db.yaml'), PLAIN);
    const encrypted = await run(['encrypt', 'secrets/db.yaml']);
    assert.equal(encrypted.code, 0, encrypted.stderr);
    assert.match(encrypted.stdout, /^kind: Secret\nstringData:\n {4}password: ENC\[AES256_GCM,/);
    assert.equal(readFileSync(join(repo, 'secrets', 'db.yaml'), 'utf8'), PLAIN, 'not in place');
    writeFileSync(join(repo, 'secrets', 'db.enc.yaml'), encrypted.stdout);
    const decrypted = await run(['decrypt', 'secrets/db.enc.yaml']);
    assert.deepEqual(decrypted, { code: 0, stdout: PLAIN, stderr: '' });
  });

  test('-i encrypts and decrypts in place, leaving no temporary file', async () => {
    const path = join(repo, 'secrets', 'inplace.yaml');
    writeFileSync(path, PLAIN, { mode: 0o640 });
    chmodSync(path, 0o640);
    assert.equal((await run(['encrypt', '-i', 'secrets/inplace.yaml'])).code, 0);
    assert.match(readFileSync(path, 'utf8'), /password: ENC\[/);
    const back = await run(['decrypt', '--in-place', 'secrets/inplace.yaml']);
    assert.deepEqual(back, { code: 0, stdout: '', stderr: '' });
    assert.equal(readFileSync(path, 'utf8'), PLAIN);
    assert.equal(statSync(path).mode & 0o777, 0o640, 'the file keeps its mode');
    assert.deepEqual(readdirSync(join(repo, 'secrets')).filter((f) => f.endsWith('.tmp')), []);
  });

  test('a wrong key exits 1 with a clear message and no plaintext', async () => {
    writeFileSync(join(repo, 'secrets', 'k.yaml'), PLAIN);
    writeFileSync(join(repo, 'secrets', 'k.enc.yaml'), (await run(['encrypt', 'secrets/k.yaml'])).stdout);
    const result = await run(['decrypt', 'secrets/k.enc.yaml'], { SOPS_AGE_KEY: MOCK_IDENTITY });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      `gitops-guardrails sops decrypt: ${join(repo, 'secrets', 'k.enc.yaml')}: none of the loaded age identities (1) can decrypt the data key (file recipients: ${TEST_RECIPIENT})\n`,
    );
  });

  test('a MAC mismatch exits 1', async () => {
    writeFileSync(join(repo, 'secrets', 'm.yaml'), PLAIN);
    const encrypted = (await run(['encrypt', 'secrets/m.yaml'])).stdout;
    writeFileSync(join(repo, 'secrets', 'm.enc.yaml'), encrypted.replace('kind: Secret', 'kind: ConfigMap'));
    const result = await run(['decrypt', 'secrets/m.enc.yaml']);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `gitops-guardrails sops decrypt: ${join(repo, 'secrets', 'm.enc.yaml')}: MAC mismatch: the file was modified outside sops (a value, its order, or the set of values changed)\n`);
  });

  test('a missing file exits 1', async () => {
    const result = await run(['decrypt', 'secrets/none.yaml']);
    assert.deepEqual(result, { code: 1, stdout: '', stderr: 'gitops-guardrails sops decrypt: secrets/none.yaml: cannot read the file\n' });
  });

  test('a file outside every creation rule exits 1', async () => {
    writeFileSync(join(repo, 'plain.yaml'), PLAIN);
    const result = await run(['encrypt', 'plain.yaml']);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `gitops-guardrails sops encrypt: ${join(repo, 'plain.yaml')}: no matching creation rules found in ${join(repo, '.sops.yaml')}\n`);
  });
});
