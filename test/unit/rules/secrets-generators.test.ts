// secrets/unencrypted on what a kustomization's secretGenerator puts into its Secret: literals
// written in the kustomization, env files and files it reads from the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { at, check, repo } from '../../helpers/repo';
import { RepoModel } from '../../../server/src/model/model';
import { RULE_IDS } from '../../../server/src/rules';
import { clearEnvKeys, clearLiterals } from '../../../server/src/rules/credentials';
import { ENCRYPT_COMMAND } from '../../../server/src/rules/secrets-unencrypted';

const generator = (entry: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nsecretGenerator:\n  - name: db-auth\n${entry}`;

/** A model over files written to a temporary folder: the text of files that are not YAML is read from disk. */
function onDisk(files: Record<string, string>, body: (model: RepoModel) => void): void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gg-generators-'));
  try {
    const model = new RepoModel(root, RULE_IDS);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
      model.setFile(file, /\.ya?ml$/.test(file) ? text : null);
    }
    body(model);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('clearLiterals and clearEnvKeys: written values are clear; placeholders, references, empty and sentinel values and public keys are not', () => {
  assert.deepEqual(clearLiterals(['username=admin', 'password=hunter2', 'token="s3cr3t-t0ken"', 'empty=', 'flag=true', 'ref=${DB_PASS}', 'vault=op://vault/db/password', 'short=abc', 'pub=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1 me@host', 'nokey']), [
    { key: 'username', index: 0 },
    { key: 'password', index: 1 },
    { key: 'token', index: 2 },
  ]);
  assert.deepEqual(clearLiterals('password=hunter2'), []);
  assert.deepEqual(clearEnvKeys('# a comment\nDB_USER=app-user\nDB_PASSWORD="hunter2"\nEMPTY=\nREF=${DB_PASS}\n  INDENTED=none\n'), ['DB_USER', 'DB_PASSWORD']);
});

test('secrets/unencrypted fires at the first literal in clear of a secretGenerator, without quoting it', () => {
  const model = repo({ 'apps/db/kustomization.yaml': generator('    literals:\n      - username=${DB_USER}\n      - password=hunter2\n      - apiToken=0123456789abcdef\n') });
  const [f, ...rest] = check(model, 'secrets/unencrypted');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/db/kustomization.yaml');
  assert.equal(at(f), '7:9-7:25');
  assert.equal(f.severity, 'error');
  assert.equal(f.message, 'secretGenerator db-auth has 2 literals in clear (password, apiToken); move them to an env file encrypted with SOPS (envs:), which kustomize-controller decrypts, before pushing.');
  assert.ok(!f.message.includes('hunter2'));
  // Encrypting the kustomization would not do: kustomize-controller does not decrypt it.
  assert.equal(f.fixes, undefined);
  const one = check(repo({ 'apps/db/kustomization.yaml': generator('    literals: [password=hunter2]\n') }), 'secrets/unencrypted');
  assert.deepEqual(one.map((x) => `${at(x)} ${x.message}`), ['5:16-5:32 secretGenerator db-auth has a literal in clear (password); move it to an env file encrypted with SOPS (envs:), which kustomize-controller decrypts, before pushing.']);
});

test('secrets/unencrypted is quiet on generator literals that hold no credential in clear, on configMapGenerator, and on a file that is no kustomization', () => {
  for (const literals of ['[password=${DB_PASS}, token=op://vault/app/token]', '[password=, enabled=true, mode=none]', '["authorized_keys=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1 me@host"]']) {
    assert.deepEqual(check(repo({ 'apps/db/kustomization.yaml': generator(`    literals: ${literals}\n`) }), 'secrets/unencrypted'), [], literals);
  }
  assert.deepEqual(check(repo({ 'apps/db/kustomization.yaml': 'configMapGenerator:\n  - name: settings\n    literals: [password=hunter2]\n' }), 'secrets/unencrypted'), []);
  assert.deepEqual(check(repo({ 'apps/db/other.yaml': 'secretGenerator:\n  - name: x\n    literals: [password=hunter2]\n' }), 'secrets/unencrypted'), []);
  // A SOPS-encrypted file is not read for values in clear.
  const encrypted = generator('    literals: [password=ENC[AES256_GCM,data:abcd,iv:abcd,tag:abcd,type:str]]\n') + 'sops:\n  mac: ENC[AES256_GCM,data:abcd,iv:abcd,tag:abcd,type:str]\n  version: 3.9.0\n';
  assert.deepEqual(check(repo({ 'apps/db/kustomization.yaml': encrypted }), 'secrets/unencrypted'), []);
});

test('secrets/unencrypted fires at the envs or files entry of a secretGenerator whose file is in clear, with Encrypt with SOPS on that file', () => {
  onDisk(
    {
      'apps/db/kustomization.yaml': generator('    envs:\n      - db.env\n    files:\n      - tls.key=certs/server.key\n      - certs/ca.crt\n'),
      'apps/db/db.env': 'DB_USER=app-user\nDB_PASSWORD=hunter2\n',
      'apps/db/certs/server.key': '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n',
      'apps/db/certs/ca.crt': '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUTest\n-----END CERTIFICATE-----\n',
    },
    (model) => {
      const findings = check(model, 'secrets/unencrypted');
      assert.deepEqual(
        findings.map((f) => `${at(f)} ${f.message}`),
        [
          '6:9-6:15 secretGenerator db-auth reads apps/db/db.env, which is not encrypted: 2 values in clear (DB_USER, DB_PASSWORD); encrypt it with SOPS (kustomize-controller decrypts it) before pushing.',
          '8:9-8:33 secretGenerator db-auth reads apps/db/certs/server.key, which is not encrypted: its content is in clear; encrypt it with SOPS (kustomize-controller decrypts it) before pushing.',
        ],
      );
      assert.ok(findings.every((f) => !f.message.includes('hunter2')));
      const [fix] = findings[0].fixes!;
      assert.equal(fix.title, 'Encrypt apps/db/db.env with SOPS');
      assert.deepEqual(fix.changes, []);
      assert.deepEqual(fix.command, { id: ENCRYPT_COMMAND, arguments: ['apps/db/db.env'] });
      assert.equal(fix.safe, false);
    },
  );
});

test('secrets/unencrypted is quiet on env files kustomize-controller decrypts (its SOPS marker), of placeholders only, missing or outside the repository', () => {
  const encryptedEnv = 'DB_PASSWORD=ENC[AES256_GCM,data:abcd,iv:abcd,tag:abcd,type:str]\nsops_mac=ENC[AES256_GCM,data:abcd,iv:abcd,tag:abcd,type:str]\nsops_version=3.9.0\n';
  onDisk(
    {
      'apps/db/kustomization.yaml': generator('    envs: [db.env, refs.env, missing.env, ../../../outside.env]\n'),
      'apps/db/db.env': encryptedEnv,
      'apps/db/refs.env': 'DB_PASSWORD=${DB_PASS}\nEMPTY=\n',
    },
    (model) => assert.deepEqual(check(model, 'secrets/unencrypted'), []),
  );
});
