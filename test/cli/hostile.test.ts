// Hostile and broken repositories through the built CLI (`node esbuild.mjs` first): nothing lost,
// nothing silenced, nothing written half.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '../helpers/temp-cache';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

export function run(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temporary repository with these files (a `.git` folder makes it the root). */
export function tempRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-hostile-'));
  mkdirSync(path.join(dir, '.git'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Aliases whose expansion grows tenfold per level: small text, a huge value. */
export function aliasBomb(levels = 6): string {
  const lines = ['- &l0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i++) lines.push(`- &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

/** One cluster applying ./apps: a Deployment without resources, in a namespace nothing declares. */
const CLUSTER = {
  'clusters/prod/apps.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  dependsOn:
    - name: nothing-has-this-name
`,
  'apps/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deploy.yaml
replacements:
  - path: replacements.yaml
`,
  'apps/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
};

function rulesOf(stdout: string): Map<string, string[]> {
  const byRule = new Map<string, string[]>();
  for (const f of JSON.parse(stdout).findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), `${f.file}:${f.line}: ${f.message}`]);
  return byRule;
}

test('an alias bomb in a replacements file is a yaml/syntax error on that file; every other rule still runs', () => {
  const dir = tempRepo({ ...CLUSTER, 'apps/replacements.yaml': aliasBomb() });
  try {
    const { code, stdout, stderr } = run(['check', dir, '--format', 'json']);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const rules = rulesOf(stdout);
    assert.deepEqual(rules.get('yaml/syntax'), [
      "apps/replacements.yaml:1: This document's aliases expand past the limit of 1000 nodes (a resource-exhaustion risk; kustomize refuses it too): not checked.",
    ]);
    assert.ok(rules.has('flux/unknown-dependency'), `flux/unknown-dependency is silenced: ${[...rules.keys()]}`);
    // kustomize refuses ./apps (its replacements file cannot be read), so Flux applies nothing from
    // it: the rules on applied objects do not judge its objects; the refusal's cause is reported above.
    for (const rule of ['resources/missing', 'namespace/missing']) assert.ok(!rules.has(rule), `${rule}: ${rules.get(rule)}`);
    assert.ok(!rules.has('internal/rule-failed'), String(rules.get('internal/rule-failed')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an alias bomb in .gitops-guardrails.yaml is a config/invalid error; the rules run with the default configuration', () => {
  const dir = tempRepo({ ...CLUSTER, 'apps/replacements.yaml': '[]\n', '.gitops-guardrails.yaml': `rules: &r0\n  quota/missing: off\nignore:\n${aliasBomb().replace(/^/gm, '  ')}` });
  try {
    const { code, stdout, stderr } = run(['check', dir, '--format', 'json']);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const rules = rulesOf(stdout);
    assert.deepEqual(rules.get('config/invalid'), [
      ".gitops-guardrails.yaml:1: .gitops-guardrails.yaml is not valid YAML: This document's aliases expand past the limit of 1000 nodes (a resource-exhaustion risk; kustomize refuses it too): not checked.",
    ]);
    for (const rule of ['resources/missing', 'namespace/missing', 'flux/unknown-dependency']) assert.ok(rules.has(rule), `${rule} is silenced: ${[...rules.keys()]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const EXAMPLE = path.join(ROOT, 'examples/layered-repo');
const AGE_KEYS = path.resolve(ROOT, '../shared/sops/vectors/age/keys.txt');

test('check --fix never edits a SOPS-encrypted file: the fix is skipped with the reason, the file still decrypts', { skip: existsSync(AGE_KEYS) ? false : `needs ${AGE_KEYS}` }, () => {
  const dir = tempRepo({
    ...CLUSTER,
    'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - namespace.yaml\n  - deploy.sops.yaml\n',
    'apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
    'apps/deploy.sops.yaml': CLUSTER['apps/deploy.yaml'],
    '.sops.yaml': readFileSync(path.join(EXAMPLE, '.sops.yaml'), 'utf8'),
  });
  const env = { ...process.env, SOPS_AGE_KEY_FILE: AGE_KEYS };
  try {
    assert.equal(run(['sops', 'encrypt', '-i', path.join(dir, 'apps/deploy.sops.yaml')], ROOT, env).code, 0);
    const encrypted = readFileSync(path.join(dir, 'apps/deploy.sops.yaml'), 'utf8');
    assert.match(encrypted, /^sops:$/m);
    const before = JSON.parse(run(['check', dir, '--format', 'json']).stdout).findings.filter((f: any) => f.file === 'apps/deploy.sops.yaml');
    assert.deepEqual(before.map((f: any) => f.rule), ['resources/missing']);
    const fixed = run(['check', dir, '--fix', '--format', 'json']);
    assert.match(fixed.stderr, /^skipped: .+: apps\/deploy\.sops\.yaml is SOPS-encrypted: an edit would break the MAC, so it is not applied as plain text; use Edit Decrypted \(SOPS\) and make the change there$/m);
    assert.doesNotMatch(fixed.stderr, /^fixed: .*deploy\.sops\.yaml/m);
    assert.equal(readFileSync(path.join(dir, 'apps/deploy.sops.yaml'), 'utf8'), encrypted);
    assert.ok(JSON.parse(fixed.stdout).findings.some((f: any) => f.file === 'apps/deploy.sops.yaml' && f.rule === 'resources/missing'));
    const decrypted = run(['sops', 'decrypt', path.join(dir, 'apps/deploy.sops.yaml')], ROOT, env);
    assert.equal(decrypted.code, 0, decrypted.stderr);
    assert.match(decrypted.stdout, /image: nginx:1\.27/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Every file of a folder with its text (the lock file and .git excluded). */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.relative(dir, path.join(entry.parentPath, entry.name));
    if (!file.startsWith('.git' + path.sep)) files[file] = readFileSync(path.join(dir, file), 'utf8');
  }
  return files;
}

function runAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('two concurrent check --fix runs give the same files as one run (a lock per repository, files re-read before editing)', async () => {
  const single = mkdtempSync(path.join(os.tmpdir(), 'gg-fix-one-'));
  const concurrent = mkdtempSync(path.join(os.tmpdir(), 'gg-fix-two-'));
  try {
    cpSync(EXAMPLE, single, { recursive: true });
    cpSync(EXAMPLE, concurrent, { recursive: true });
    const one = await runAsync(['check', single, '--fix', '--format', 'json']);
    assert.equal(one.code, 1);
    const [a, b] = await Promise.all([runAsync(['check', concurrent, '--fix', '--format', 'json']), runAsync(['check', concurrent, '--fix', '--format', 'json'])]);
    assert.equal(a.code, 1, a.stderr);
    assert.equal(b.code, 1, b.stderr);
    const expected = tree(single);
    assert.ok(Object.keys(expected).some((f) => f.endsWith('namespace.yaml')));
    assert.deepEqual(tree(concurrent), expected);
    // Both report what is left; one of them did the fixing, the other found nothing left to fix.
    assert.equal(a.stdout, one.stdout.replaceAll(single, concurrent));
    assert.equal(b.stdout, a.stdout);
    assert.equal([a, b].filter((r) => /^fixed: /m.test(r.stderr)).length, 1);
    assert.ok(!existsSync(path.join(concurrent, '.gitops-guardrails-fix.lock')));
    // A third run changes nothing: the fixes are idempotent.
    const third = await runAsync(['check', concurrent, '--fix', '--format', 'json']);
    assert.doesNotMatch(third.stderr, /^fixed: /m);
    assert.deepEqual(tree(concurrent), expected);
  } finally {
    rmSync(single, { recursive: true, force: true });
    rmSync(concurrent, { recursive: true, force: true });
  }
});

test('a dependsOn cycle of 1,000 Kustomizations is one finding; the JSON stays small', () => {
  const n = 1000;
  const ks = (i: number) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: k${i}
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  dependsOn:
    - name: k${(i + 1) % n}
`;
  const dir = tempRepo({ ...CLUSTER, 'apps/replacements.yaml': '[]\n', 'clusters/prod/cycle.yaml': Array.from({ length: n }, (_, i) => ks(i)).join('---\n') });
  try {
    const { code, stdout } = run(['check', dir, '--format', 'json']);
    assert.equal(code, 1);
    const cycles = JSON.parse(stdout).findings.filter((f: any) => f.rule === 'flux/dependency-cycle');
    assert.deepEqual(cycles.map((f: any) => `${f.file}:${f.line}: ${f.message}`), [
      'clusters/prod/cycle.yaml:14: dependsOn cycle: k0 → k1 → k2 → k3 → k4 → k5 → k6 → k7 → … 992 more → k0; none of these 1000 Kustomizations will ever be applied.',
    ]);
    assert.equal(cycles[0].related.length, 20);
    assert.ok(stdout.length < 1_000_000, `${stdout.length} characters of JSON`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs the CLI as a user that permissions apply to: as root, as nobody (root reads everything). */
function runUnprivileged(args: string[]) {
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: os.tmpdir(), encoding: 'utf8', ...asNobody });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('unreadable files, folders and .sops.yaml, and a path over PATH_MAX, are io/unreadable warnings, never silent', { skip: process.platform === 'win32' ? 'POSIX permissions' : false }, () => {
  const dir = tempRepo({
    ...CLUSTER,
    'apps/replacements.yaml': '[]\n',
    'apps/locked.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: locked\n',
    'private/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: private\n',
    '.sops.yaml': 'creation_rules:\n  - path_regex: .*\n    age: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw\n',
  });
  // Folders nested past PATH_MAX (4096 on Linux), made one relative step at a time by a shell.
  const segment = 'd'.repeat(200);
  spawnSync('sh', ['-c', `for i in $(seq 1 24); do mkdir ${segment} && cd ${segment}; done; echo 'kind: ConfigMap' > deep.yaml`], { cwd: dir });
  try {
    chmodSync(dir, 0o755);
    chmodSync(path.join(dir, 'apps/locked.yaml'), 0o000);
    chmodSync(path.join(dir, '.sops.yaml'), 0o000);
    chmodSync(path.join(dir, 'private'), 0o000);
    const { code, stdout, stderr } = runUnprivileged(['check', dir, '--format', 'json']);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const unreadable = JSON.parse(stdout).findings.filter((f: any) => f.rule === 'io/unreadable').map((f: any) => `${f.file.length > 300 ? `<${f.file.length} characters>` : f.file}:${f.line} ${f.severity}: ${f.message}`);
    // The first folder whose absolute path is over PATH_MAX.
    const levels = Math.ceil((4096 - dir.length) / (segment.length + 1));
    const tooLong = Array(levels).fill(segment).join('/');
    assert.deepEqual(unreadable.sort(), [
      '.sops.yaml:1 warning: This file cannot be read: permission denied (EACCES). It is not checked.',
      'apps/locked.yaml:1 warning: This file cannot be read: permission denied (EACCES). It is not checked.',
      `<${tooLong.length} characters>:1 warning: This folder cannot be read: the path is longer than the system allows (ENAMETOOLONG). Nothing below it is checked.`,
      'private:1 warning: This folder cannot be read: permission denied (EACCES). Nothing below it is checked.',
    ].sort());
    // The other files are checked as usual.
    assert.ok(JSON.parse(stdout).findings.some((f: any) => f.rule === 'resources/missing' && f.file === 'apps/deploy.yaml'));
  } finally {
    chmodSync(path.join(dir, 'private'), 0o755);
    // rm -r removes folders one relative step at a time (Node's rmSync fails past PATH_MAX).
    spawnSync('rm', ['-rf', dir]);
  }
});

test('a Flux spec.path that leads outside the repository is a warning and is never followed', () => {
  // The cluster's root is its flux-system sync: a folder whose only Kustomization points outside is no cluster of its own.
  const dir = tempRepo({
    ...CLUSTER,
    'clusters/prod/flux-system/gotk-sync.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./clusters/prod\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
    'apps/replacements.yaml': '[]\n',
    'clusters/prod/apps.yaml': CLUSTER['clusters/prod/apps.yaml'].replace('path: ./apps', 'path: ../../../etc'),
  });
  try {
    const { stdout } = run(['check', dir, '--format', 'json']);
    const findings = JSON.parse(stdout).findings;
    assert.deepEqual(findings.filter((f: any) => f.rule === 'flux/path-not-found').map((f: any) => `${f.file}:${f.line}:${f.column} ${f.severity}: ${f.message}`), [
      'clusters/prod/apps.yaml:8:9 warning: spec.path "../../../etc" of Kustomization apps leads outside the repository; it is not followed, so what it applies is not checked. A path is relative to the root of its source.',
    ]);
    // Nothing of /etc was read: no finding points outside the repository.
    for (const f of findings) assert.ok(!f.file.startsWith('..') && !path.isAbsolute(f.file), f.file);
    const index = JSON.parse(run(['index', dir, '--json']).stdout);
    assert.match(JSON.stringify(index), /leaves the repository/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a 5 MB .gitignore line is skipped with a short warning; the other patterns still apply and the check runs', () => {
  const dir = tempRepo({
    ...CLUSTER,
    'apps/replacements.yaml': '[]\n',
    '.gitignore': `# generated\nignored/\n${'a['.repeat(2_500_000)}\n`,
    'ignored/bad.yaml': 'key: "unclosed\n',
  });
  try {
    const { code, stdout, stderr } = run(['check', dir, '--format', 'json']);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    assert.ok(stdout.length < 100_000, `${stdout.length} characters of output`);
    const findings = JSON.parse(stdout).findings;
    assert.deepEqual(findings.filter((f: any) => f.rule === 'io/unreadable').map((f: any) => `${f.file}:${f.line} ${f.message}`), [
      '.gitignore:3 This pattern is 5000000 characters long, over the 4096 limit: it is skipped (it ignores nothing).',
    ]);
    assert.ok(!findings.some((f: any) => f.file.startsWith('ignored/')));
    assert.ok(findings.some((f: any) => f.rule === 'resources/missing'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('text output escapes control characters of file names and messages; SARIF URIs percent-encode # ? % and the like', { skip: process.platform === 'win32' ? 'file names with control characters' : false }, () => {
  const name = 'apps/we#ird?50%\u001b[2J\u202e.yaml';
  // A Secret in clear: an error wherever it is (a syntax error in a file no cluster applies is information).
  const dir = tempRepo({ [name]: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\nstringData:\n  password: hunter2\n' });
  try {
    const text = run(['check', dir]);
    assert.equal(text.code, 1);
    assert.ok(!/[\u001b\u202e]/.test(text.stdout), JSON.stringify(text.stdout));
    assert.match(text.stdout, /^apps\/we#ird\?50%\\x1b\[2J\\u202e\.yaml:6:3: error secrets\/unencrypted: /m);
    const sarif = JSON.parse(run(['check', dir, '--format', 'sarif']).stdout);
    const uris = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
    assert.deepEqual(uris, ['apps/we%23ird%3F50%25%1B%5B2J%E2%80%AE.yaml']);
    assert.equal(decodeURIComponent(uris[0].split('/')[1]), name.split('/')[1]);
    // JSON keeps the name as it is (JSON escapes control characters itself).
    assert.equal(JSON.parse(run(['check', dir, '--format', 'json']).stdout).findings[0].file, name);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
