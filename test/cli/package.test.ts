// The CLI as other repositories get it: `npm pack`, then npx from the tarball in a folder with no
// clone of ours, offline (the bundle has no runtime dependencies); and the GitHub Action's shell
// step run as a runner would run it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\nstringData:\n  password: hunter2\n';

function tempRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-pack-'));
  mkdirSync(path.join(dir, 'repo/apps'), { recursive: true });
  writeFileSync(path.join(dir, 'repo/apps/secret.yaml'), SECRET);
  return dir;
}

test('npm pack ships the bundles only, and npx runs the packed CLI in another folder, offline', () => {
  const dir = tempRepo();
  try {
    // dist/ is built by `npm test`; --ignore-scripts skips the prepack build here.
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const [info] = JSON.parse(pack.stdout);
    const files = info.files.map((f: { path: string }) => f.path).sort();
    assert.deepEqual(files.filter((f: string) => !f.startsWith('dist/')), ['LICENSE', 'README.md', 'action.yml', 'package.json']);
    for (const bundle of ['dist/cli.js', 'dist/parse-worker.js', 'dist/server.js']) assert.ok(files.includes(bundle), bundle);
    assert.equal(files.some((f: string) => f.endsWith('.map') || f.endsWith('.ts')), false);
    const tarball = path.join(dir, info.filename);
    // npm 11 resolves a relative tarball against the wrong folder: the README gives an absolute one.
    const run = spawnSync('npx', ['--yes', '--offline', '--package', tarball, 'gitops-guardrails', 'check', '.'], {
      cwd: path.join(dir, 'repo'),
      encoding: 'utf8',
      env: { ...process.env, npm_config_cache: path.join(dir, 'npm-cache') },
    });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, 'apps/secret.yaml:6:3: error secrets/unencrypted: Secret a has a value in clear (stringData.password); encrypt the file with SOPS before pushing.\n1 finding: 1 error(s), 0 warning(s), 0 other\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('action.yml: documented inputs, and its check step writes SARIF, the exit code output and the log', () => {
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
  assert.equal(action.runs.using, 'composite');
  for (const [name, input] of Object.entries<any>(action.inputs)) assert.ok(input.description?.length > 10, `input ${name} is documented`);
  const step = action.runs.steps.find((s: any) => s.id === 'check');
  const dir = tempRepo();
  try {
    const env: Record<string, string> = { ...process.env as Record<string, string>, GITHUB_OUTPUT: path.join(dir, 'output') };
    const inputs: Record<string, string> = { path: 'repo', format: 'text', baseline: '', sarif: 'true', 'sarif-file': 'out.sarif' };
    for (const [key, value] of Object.entries<string>(step.env)) {
      env[key] = value.replace('${{ github.action_path }}', ROOT).replace(/\$\{\{ inputs\.([\w-]+) \}\}/, (_, name) => inputs[name]);
    }
    const result = spawnSync('bash', ['-e', '-c', step.run], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /^apps\/secret\.yaml:6:3: error secrets\/unencrypted: /);
    assert.equal(readFileSync(path.join(dir, 'output'), 'utf8'), 'exit-code=1\n');
    const sarif = JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8'));
    assert.equal(sarif.runs[0].results[0].ruleId, 'secrets/unencrypted');

    // With a baseline the first run accepts what is there.
    inputs.baseline = 'accepted.json';
    inputs.sarif = 'false';
    for (const [key, value] of Object.entries<string>(step.env)) {
      env[key] = value.replace('${{ github.action_path }}', ROOT).replace(/\$\{\{ inputs\.([\w-]+) \}\}/, (_, name) => inputs[name]);
    }
    const accepted = spawnSync('bash', ['-e', '-c', step.run], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(accepted.status, 0, accepted.stderr);
    assert.ok(existsSync(path.join(dir, 'accepted.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('.pre-commit-hooks.yaml runs the packaged bin on staged YAML', () => {
  const [hook] = parse(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'));
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(hook.id, 'gitops-guardrails');
  assert.equal(hook.language, 'node');
  assert.equal(hook.entry.split(' ')[0], Object.keys(pkg.bin)[0]);
  assert.ok(new RegExp(hook.files).test('apps/x.yaml') && !new RegExp(hook.files).test('README.md'));
  // pre-commit installs a node hook with npm pack: prepack must build the bin.
  assert.equal(pkg.scripts.prepack, 'npm run build --silent');
});
