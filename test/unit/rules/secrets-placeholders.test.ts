// Class 8 of issue 13: a value whose secret parts are Flux placeholders is not plaintext.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, repo } from '../../helpers/repo';
import { credentialInClear, isClearValue } from '../../../server/src/rules/credentials';

const secret = (data: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: restic\nstringData:\n${data}`;
const substituted = '  RESTIC_REPOSITORY: b2:${BUCKET}:/backups/app\n  RESTIC_PASSWORD: ${RESTIC_PASSWORD}\n  DATABASE_URL: postgres://${USER}:${PASS}@db/app\n  RESTIC_HOST: s3.example.com\n';

test('placeholders are not clear; a literal credential beside one is', () => {
  assert.equal(isClearValue('${USER}:${PASS}'), false);
  assert.equal(isClearValue('hunter2-${SUFFIX}'), true);
  assert.equal(credentialInClear('DATABASE_URL', 'postgres://${USER:=app}:${PASS}@db/app'), false);
  assert.equal(credentialInClear('DATABASE_URL', 'postgres://admin:hunter2@${HOST}/app'), true);
  assert.equal(credentialInClear('rclone.conf', '[r2]\ntype = s3\naccess_key_id = ${R2_ID}\nsecret_access_key = ${R2_KEY}\n'), false);
  assert.equal(credentialInClear('rclone.conf', '[r2]\ntype = s3\naccess_key_id = ${R2_ID}\nsecret_access_key = AKIAsecretvalue\n'), true);
  assert.equal(credentialInClear('RESTIC_REPOSITORY', 'b2:${BUCKET}:/backups/app'), false);
});

test('secrets/unencrypted is quiet on a Secret whose secret parts are placeholders', () => {
  assert.deepEqual(check(repo({ 'apps/backup/secret.yaml': secret(substituted) }), 'secrets/unencrypted'), []);
});

test('secrets/unencrypted fires on a literal password beside placeholders, at that key, and on a Secret without any', () => {
  const model = repo({ 'apps/backup/secret.yaml': secret(substituted + '  ADMIN_URL: postgres://admin:hunter2@${HOST}/app\n') });
  const [f, ...rest] = check(model, 'secrets/unencrypted');
  assert.deepEqual(rest, []);
  assert.equal(at(f), '10:3-10:12');
  assert.equal(f.message, 'Secret restic has a value in clear (stringData.ADMIN_URL); encrypt the file with SOPS before pushing.');
  assert.ok(!f.message.includes('hunter2'));
  // Without placeholders, every value is what the author wrote in clear.
  const plain = repo({ 'apps/backup/secret.yaml': secret('  RESTIC_REPOSITORY: b2:bucket:/backups/app\n') });
  assert.equal(check(plain, 'secrets/unencrypted')[0].message, 'Secret restic has a value in clear (stringData.RESTIC_REPOSITORY); encrypt the file with SOPS before pushing.');
});

test('secrets/plaintext-credential: a connection string of placeholders is quiet, a literal password beside one fires', () => {
  const release = (dsn: string) => `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  values:\n    env:\n      DATABASE_URL: ${dsn}\n      DB_PASSWORD: \${DB_PASSWORD}\n`;
  assert.deepEqual(check(repo({ 'apps/app/hr.yaml': release('postgres://${USER:=app}:${PASS}@db/app') }), 'secrets/plaintext-credential'), []);
  const [f, ...rest] = check(repo({ 'apps/app/hr.yaml': release('postgres://admin:hunter2@${HOST}/app') }), 'secrets/plaintext-credential');
  assert.deepEqual(rest, []);
  assert.equal(at(f), '8:21-8:57');
  assert.equal(f.message, 'HelmRelease app has a connection string with a password in spec.values; keep it in a SOPS-encrypted Secret and reference it instead.');
});

test('secrets/unencrypted: a file the creation rules single out that holds only placeholders leaks nothing', () => {
  const sopsConfig = 'creation_rules:\n  - path_regex: .*\\.sops\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw\n';
  const quiet = repo({ '.sops.yaml': sopsConfig, 'apps/db/superuser.sops.yaml': secret('  username: postgres\n  password: ${SUPERUSER_PASSWORD}\n') });
  assert.deepEqual(check(quiet, 'secrets/unencrypted'), []);
  const leaking = repo({ '.sops.yaml': sopsConfig, 'apps/db/superuser.sops.yaml': secret('  username: postgres\n  password: hunter2-very-secret\n') });
  const [f, ...rest] = check(leaking, 'secrets/unencrypted');
  assert.deepEqual(rest, []);
  assert.equal(at(f), '6:3-6:11');
  assert.equal(f.message, 'Secret restic has 2 values in clear in stringData (username, password); encrypt the file with SOPS before pushing.');
});

test('a credential key whose value is an absolute file path says where the credential is mounted: not plaintext', () => {
  assert.equal(credentialInClear('GOOGLE_APPLICATION_CREDENTIALS', '/openbao/userconfig/kms/serviceaccount.json'), false);
  assert.equal(credentialInClear('GOOGLE_APPLICATION_CREDENTIALS', '/secrets/'), false);
  // Not a path: a password that starts with a slash but has spaces, or a relative word.
  assert.equal(credentialInClear('DB_PASSWORD', '/not a path'), true);
  assert.equal(credentialInClear('DB_PASSWORD', 'hunter2'), true);
  const release = (value: string) => `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: bao\nspec:\n  values:\n    env:\n      GOOGLE_APPLICATION_CREDENTIALS: ${value}\n`;
  assert.deepEqual(check(repo({ 'apps/bao/hr.yaml': release('/openbao/userconfig/kms/serviceaccount.json') }), 'secrets/plaintext-credential'), []);
  assert.equal(check(repo({ 'apps/bao/hr.yaml': release(`'{"type": "service_account", "private_key": "x"}'`) }), 'secrets/plaintext-credential').length, 1);
});

test('every placeholder form the engine parses is a placeholder, defaults included: `${DB_PASS:-changeme}` is no credential in clear (Flux applies it only when the variable is unset)', () => {
  // The old regex knew only `${VAR}`, `${VAR=x}` and `${VAR:=x}`: `:-` and `-` defaults and case operators were read as text.
  for (const value of ['${DB_PASS:-changeme}', '${DB_PASS-changeme}', '${DB_PASS:=changeme}', '${DB_PASS=changeme}', '${API_KEY:=dummy}', '${DB_PASS:-}', '${DB_PASS^^}', '${A:-xyzw}${B:-zyxw}']) {
    assert.equal(isClearValue(value), false, value);
    assert.equal(credentialInClear('DB_PASSWORD', value), false, value);
  }
  // A literal run beside a defaulted placeholder is still written out.
  assert.equal(isClearValue('hunter2-${SUFFIX:-a}'), true);
  // A connection string: a defaulted user or password placeholder is masked, a literal password is not.
  assert.equal(credentialInClear('DATABASE_URL', 'postgres://${USER:-app}:${PASS:-hunter2}@db/app'), false);
  assert.equal(credentialInClear('DATABASE_URL', 'postgres://${USER:-app}:hunter2@db/app'), true);
});

test('secrets/unencrypted and secrets/plaintext-credential are quiet on `${VAR:-default}` placeholders, and fire on a literal beside one', () => {
  const quiet = repo({ 'apps/db/secret.yaml': secret('  DB_HOST: ${DB_HOST:-db.internal}\n  DB_PASSWORD: ${DB_PASS:-changeme}\n  DATABASE_URL: postgres://${DB_USER:-app}:${DB_PASS:-changeme}@db/app\n') });
  assert.deepEqual(check(quiet, 'secrets/unencrypted'), []);
  const model = repo({ 'apps/db/secret.yaml': secret('  DB_HOST: ${DB_HOST:-db.internal}\n  DATABASE_URL: postgres://${DB_USER:-app}:hunter2@db/app\n') });
  const [f, ...rest] = check(model, 'secrets/unencrypted');
  assert.deepEqual(rest, []);
  assert.equal(at(f), '7:3-7:15');
  assert.equal(f.message, 'Secret restic has a value in clear (stringData.DATABASE_URL); encrypt the file with SOPS before pushing.');
  const release = (value: string) => `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  values:\n    env:\n      API_KEY: ${value}\n`;
  assert.deepEqual(check(repo({ 'apps/app/hr.yaml': release('${WEATHER_API_KEY:=dummy}') }), 'secrets/plaintext-credential'), []);
  const [g, ...more] = check(repo({ 'apps/app/hr.yaml': release('k3y-${SUFFIX:-a}-0123456789') }), 'secrets/plaintext-credential');
  assert.deepEqual(more, []);
  assert.equal(at(g), '8:7-8:14');
  assert.equal(g.message, 'HelmRelease app has a credential in clear (API_KEY) in spec.values; keep it in a SOPS-encrypted Secret and reference it instead.');
});
