import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, repo, yaml } from '../../helpers/repo';

const SOPS_CONFIG = 'creation_rules:\n  - path_regex: .*\\.sops\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw\n';
const secret = (data: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n${data}`;

test('secrets/unencrypted fires on a Secret with values in clear, at the first key, without quoting the value', () => {
  const model = repo({ 'apps/db/secret.yaml': secret('  username: admin\n  password: hunter2-very-secret\n') });
  const [f, ...rest] = check(model, 'secrets/unencrypted');
  assert.equal(rest.length, 0);
  assert.equal(at(f), '6:3-6:11');
  assert.equal(f.severity, 'error');
  assert.equal(f.message, 'Secret db has 2 values in clear in stringData (username, password); encrypt the file with SOPS before pushing.');
  assert.ok(!f.message.includes('hunter2'));
  assert.deepEqual(f.fixes?.map((x) => [x.title, x.command?.id, x.command?.arguments]), [['Encrypt with SOPS', 'gitopsGuardrails.sops.encrypt', ['apps/db/secret.yaml']]]);
});

test('secrets/unencrypted: references are not plaintext, and encrypted files are not checked', () => {
  const model = repo({
    'a.yaml': secret('  password: op://vault/db/password\n  user: ${DB_USER}\n  token: <path:secret/data/db#token>\n  dsn: "{{ .dsn }}"\n  empty: ""\n'),
    'b.sops.yaml': secret('  password: ENC[AES256_GCM,data:AAAA,iv:BBBB,tag:CCCC,type:str]\n') + 'sops:\n  mac: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\n  lastmodified: "2026-01-01T00:00:00Z"\n  version: 3.9.0\n',
  });
  assert.deepEqual(check(model, 'secrets/unencrypted'), []);
});

test('secrets/unencrypted fires on a file a creation rule singles out that is not encrypted', () => {
  const model = repo({
    '.sops.yaml': SOPS_CONFIG,
    'apps/db/settings.sops.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n',
  });
  const [f] = check(model, 'secrets/unencrypted');
  assert.equal(at(f), '2:7-2:16');
  assert.equal(f.message, 'apps/db/settings.sops.yaml matches the creation rule path_regex .*\\.sops\\.yaml$ of .sops.yaml but is not encrypted.');
});

test('secrets/no-creation-rule fires on a Secret no rule of the nearest .sops.yaml matches; quiet without .sops.yaml', () => {
  const files = { 'apps/db/secret.yaml': secret('  password: hunter2-very-secret\n') };
  assert.deepEqual(check(repo(files), 'secrets/no-creation-rule'), []);
  const model = repo({ ...files, '.sops.yaml': SOPS_CONFIG });
  const [f] = check(model, 'secrets/no-creation-rule');
  assert.equal(at(f), '2:7-2:13');
  assert.equal(f.severity, 'warning');
  assert.equal(f.message, 'No creation rule of .sops.yaml matches apps/db/secret.yaml: sops cannot encrypt it. Add a path_regex that covers it, or move the file.');
  const covered = repo({ 'apps/db/secret.sops.yaml': files['apps/db/secret.yaml'], '.sops.yaml': SOPS_CONFIG });
  assert.deepEqual(check(covered, 'secrets/no-creation-rule'), []);
  const nested = repo({ ...files, '.sops.yaml': SOPS_CONFIG, 'apps/.sops.yaml': 'creation_rules:\n  - age: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw\n' });
  assert.deepEqual(check(nested, 'secrets/no-creation-rule'), []);
});

test('secrets/no-creation-rule says the files of one uncovered folder once, the others related', () => {
  const files: Record<string, string> = { '.sops.yaml': SOPS_CONFIG, 'apps/live/secret.sops.yaml': secret('  password: hunter2-very-secret\n') };
  for (const app of ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta']) files[`old-stuff/cluster-0/${app}/secret.yaml`] = secret('  password: hunter2-very-secret\n');
  const findings = check(repo(files), 'secrets/no-creation-rule');
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.file, 'old-stuff/cluster-0/alpha/secret.yaml');
  assert.equal(at(f), '2:7-2:13');
  assert.equal(
    f.message,
    'No creation rule of .sops.yaml matches the 7 files with Secrets under old-stuff (old-stuff/cluster-0/alpha/secret.yaml and 6 more): sops cannot encrypt them. Add a path_regex that covers them, or move the files.',
  );
  assert.deepEqual(
    f.related?.map((r) => `${r.file}@${at({ range: r.range } as any)}`),
    ['beta', 'delta', 'epsilon', 'eta', 'gamma', 'zeta'].map((app) => `old-stuff/cluster-0/${app}/secret.yaml@2:7-2:13`),
  );
  // A file beside a covered one is its own cause: not folded into the tree of another folder.
  const mixed = repo({ ...files, 'apps/live/other.yaml': secret('  token: not-a-real-token-value\n') });
  assert.deepEqual(check(mixed, 'secrets/no-creation-rule').map((x) => `${x.file} ${x.related?.length ?? 0}`), ['apps/live/other.yaml 0', 'old-stuff/cluster-0/alpha/secret.yaml 6']);
});

test('secrets/plaintext-credential fires on HelmRelease values, ConfigMaps, env and connection strings', () => {
  const model = repo({
    'apps/web/hr.yaml': yaml`
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: grafana
        namespace: web
      spec:
        values:
          adminPassword: correct-horse
          database:
            url: postgres://grafana:s3cr3t-pw@db.postgres.svc:5432/grafana
          existingSecret: grafana-admin
          passwordKey: admin-password
          apiKey: \${GRAFANA_API_KEY}
    `,
    'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  SMTP_PASSWORD: mailpass123\n  SMTP_HOST: mail\n',
    'apps/web/deploy.yaml': yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
      spec:
        template:
          spec:
            containers:
              - name: api
                env:
                  - name: API_TOKEN
                    value: tok_1234567890
                  - name: DB_PASSWORD
                    valueFrom:
                      secretKeyRef:
                        name: db
                        key: password
    `,
  });
  const findings = check(model, 'secrets/plaintext-credential');
  assert.deepEqual(findings.map((f) => [f.file, at(f), f.message]), [
    ['apps/web/cm.yaml', '6:3-6:16', 'ConfigMap settings has a credential in clear (SMTP_PASSWORD) in data; keep it in a SOPS-encrypted Secret and reference it instead.'],
    ['apps/web/deploy.yaml', '12:22-12:36', 'Deployment api has a credential in clear (env API_TOKEN) in container api; keep it in a SOPS-encrypted Secret and reference it instead.'],
    ['apps/web/hr.yaml', '8:5-8:18', 'HelmRelease grafana has 2 credentials in clear in spec.values (adminPassword, url (connection string)); keep them in a SOPS-encrypted Secret and reference them instead.'],
  ]);
  for (const f of findings) assert.ok(!/correct-horse|s3cr3t|mailpass|tok_123/.test(f.message));
});

test('secrets/partially-encrypted fires at a value edited in clear inside a real SOPS file, naming the path only', async () => {
  const { encrypt } = await import('../../../server/src/sops/index');
  const encrypted = await encrypt(secret('  token: first-example-value\n  webhook: second-example-value\n'), {
    filePath: 'apps/db/secret.sops.yaml',
    recipients: ['age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw'],
    selection: { key: 'encrypted_regex', value: '^(data|stringData)$' },
  });
  const model = repo({ 'apps/db/secret.sops.yaml': encrypted });
  assert.deepEqual(check(model, 'secrets/partially-encrypted'), []);
  assert.deepEqual(check(model, 'secrets/unencrypted'), []);
  const edited = encrypted.replace(/webhook: ENC\[[^\]]*\]/, 'webhook: hand-edited-example');
  model.setFile('apps/db/secret.sops.yaml', edited);
  const [f, ...rest] = check(model, 'secrets/partially-encrypted');
  assert.equal(rest.length, 0);
  assert.equal(f.range.start.line, edited.split('\n').findIndex((l) => l.includes('webhook:')));
  assert.equal(f.message, 'stringData.webhook is in clear in an encrypted position of this SOPS file; sops will refuse to decrypt it. Re-encrypt the file.');
  assert.equal(f.fixes![0].command!.id, 'gitopsGuardrails.sops.reencrypt');
  assert.ok(!f.message.includes('hand-edited'));
});

test('secrets/partially-encrypted: values reached through aliases are one finding at the place they are written (bounded by the text)', async () => {
  const { encrypt } = await import('../../../server/src/sops/index');
  const encrypted = await encrypt(secret('  token: first-example-value\n'), {
    filePath: 'apps/db/secret.sops.yaml',
    recipients: ['age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw'],
    selection: { key: 'encrypted_regex', value: '^(data|stringData)$' },
  });
  // A hand edit that adds an alias bomb under stringData: 1,000 values in clear, three lines of text.
  const bomb = '    b0: &b0 [x, x, x, x, x, x, x, x, x, x]\n    b1: &b1 [*b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0]\n    b2: [*b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1]\n';
  const edited = encrypted.replace(/stringData:\n/, `stringData:\n${bomb}`);
  assert.notEqual(edited, encrypted);
  const model = repo({ 'apps/db/secret.sops.yaml': edited });
  const findings = check(model, 'secrets/partially-encrypted');
  // One per place written: ten x, ten *b0, ten *b1 (expanded, 1,110 values).
  assert.equal(findings.length, 30);
  assert.ok(findings.some((f) => / \(and \d+ more values written here\) is in clear/.test(f.message)), findings.map((f) => f.message).join('\n'));
});
