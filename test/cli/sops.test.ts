// `gitops-guardrails sops encrypt|decrypt` through the built bundle (`node esbuild.mjs` first), with
// the public sops test keys of ../shared/sops/vectors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const EXAMPLE = path.join(ROOT, 'examples/layered-repo');
const VECTORS = path.resolve(ROOT, '../shared/sops/vectors/age');
const KEYS = path.join(VECTORS, 'keys.txt');
const WRONG_KEY = path.join(VECTORS, 'mock_identity.txt');
const skip = existsSync(KEYS) && existsSync(WRONG_KEY) ? false : `needs the shared SOPS vectors at ${VECTORS} (absent)`;

const SECRET = 'environments/core/cert-manager/issuers/cloudflare-api-token.sops.yaml';
const PARTIAL = 'environments/apps/podinfo/api-token.sops.yaml';
const PLAIN_TOKEN = 'example-not-a-real-cloudflare-token';

let dir: string;
let configDir: string;

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gg-cli-sops-'));
  configDir = mkdtempSync(path.join(os.tmpdir(), 'gg-cli-sops-config-'));
  mkdirSync(path.join(dir, '.git'));
  for (const file of ['.sops.yaml', SECRET, PARTIAL]) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(path.join(EXAMPLE, file), path.join(dir, file));
  }
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(configDir, { recursive: true, force: true });
});

/** Runs the CLI in the copy with only the given SOPS variables (and an empty user config folder). */
function sops(args: string[], env: Record<string, string> = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SOPS_') && k !== 'XDG_CONFIG_HOME'));
  const result = spawnSync(process.execPath, [CLI, 'sops', ...args], { cwd: dir, encoding: 'utf8', env: { ...base, XDG_CONFIG_HOME: configDir, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('decrypt prints the plaintext with SOPS_AGE_KEY_FILE', { skip }, () => {
  const { code, stdout, stderr } = sops(['decrypt', SECRET], { SOPS_AGE_KEY_FILE: KEYS });
  assert.equal(stderr, '');
  assert.equal(code, 0);
  assert.equal(
    stdout,
    `apiVersion: v1
kind: Secret
metadata:
    name: cloudflare-api-token
    namespace: cert-manager
type: Opaque
stringData:
    # An example value, not a real token.
    api-token: ${PLAIN_TOKEN}
`,
  );
});

test('a wrong key: exit 1, a message naming the recipients, nothing on stdout', { skip }, () => {
  const before = readFileSync(path.join(dir, SECRET), 'utf8');
  const { code, stdout, stderr } = sops(['decrypt', '-i', SECRET], { SOPS_AGE_KEY_FILE: WRONG_KEY });
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.equal(
    stderr,
    `gitops-guardrails sops decrypt: ${path.join(dir, SECRET)}: none of the loaded age identities (1) can decrypt the data key (file recipients: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw)\n`,
  );
  assert.equal(readFileSync(path.join(dir, SECRET), 'utf8'), before, 'the file is left as it was');
});

test('no key at all: exit 1 and every place that was searched', () => {
  const { code, stdout, stderr } = sops(['decrypt', SECRET]);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.equal(
    stderr,
    `gitops-guardrails sops decrypt: ${path.join(dir, SECRET)}: no age identity found to decrypt the data key; looked in: SOPS_AGE_KEY (not set); SOPS_AGE_KEY_FILE (not set); SOPS_AGE_KEY_CMD (not set); user keys file ${path.join(configDir, 'sops/age/keys.txt')} (not found)\n`,
  );
});

test('a partially encrypted file: exit 1, the key path, not the value', { skip }, () => {
  const { code, stdout, stderr } = sops(['decrypt', PARTIAL], { SOPS_AGE_KEY_FILE: KEYS });
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /api-token\.sops\.yaml: stringData\.webhook: value in an encrypted position is not ENC\[…\] \(the file is partially encrypted; re-encrypt it\)\n$/);
  assert.doesNotMatch(stderr, /example-hand-edited-webhook/);
});

test('decrypt -i then encrypt -i: the .sops.yaml creation rule, and the plaintext back', { skip }, () => {
  const file = path.join(dir, SECRET);
  const plain = sops(['decrypt', SECRET], { SOPS_AGE_KEY_FILE: KEYS }).stdout;
  assert.equal(sops(['decrypt', '-i', SECRET], { SOPS_AGE_KEY_FILE: KEYS }).code, 0);
  assert.equal(readFileSync(file, 'utf8'), plain);
  const encrypted = sops(['encrypt', '-i', SECRET]);
  assert.equal(encrypted.stderr, '');
  assert.equal(encrypted.code, 0);
  const text = readFileSync(file, 'utf8');
  assert.doesNotMatch(text, new RegExp(PLAIN_TOKEN));
  assert.match(text, /^ {4}api-token: ENC\[AES256_GCM,/m);
  assert.match(text, /^ {4}name: cloudflare-api-token$/m);
  assert.equal(sops(['decrypt', SECRET], { SOPS_AGE_KEY_FILE: KEYS }).stdout, plain);
});
