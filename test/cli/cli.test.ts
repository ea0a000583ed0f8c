// The CLI as CI runs it: the built bundle in a child process, its output and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RepoModel } from '../../server/src/model/model';
import { documentsParsed } from '../../server/src/model/parse';
import { RULE_IDS } from '../../server/src/rules';
import '../helpers/temp-cache';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const EXAMPLE = path.join(ROOT, 'examples/layered-repo');

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('check prints one line per finding and exits 1 when there is an error', () => {
  const { code, stdout } = run(['check', 'examples/layered-repo']);
  assert.equal(code, 1);
  const lines = stdout.trim().split('\n');
  assert.match(lines[lines.length - 1], /^\d+ findings: \d+ error\(s\), \d+ warning\(s\), \d+ other$/);
  assert.ok(lines.includes('clusters/staging/apps.yaml:11:9: error flux/path-not-found: spec.path "./environments/apps/podinfo/overlays/staging" of Kustomization podinfo does not exist in this repository; its deepest existing folder is "./environments/apps/podinfo".'), stdout);
});

test('--format json has the documented shape with 1-based positions and forward-slash paths', () => {
  const { code, stdout } = run(['check', EXAMPLE, '--format', 'json']);
  assert.equal(code, 1);
  const report = JSON.parse(stdout);
  assert.equal(report.version, 1);
  assert.ok(report.findings.length > 0);
  for (const f of report.findings) {
    assert.deepEqual(Object.keys(f), ['rule', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'related']);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity));
    assert.ok(!f.file.includes('\\') && !path.isAbsolute(f.file));
    assert.ok(f.line >= 1 && f.column >= 1);
  }
  const cycle = report.findings.find((f: any) => f.rule === 'flux/dependency-cycle');
  assert.deepEqual(cycle.related[0], { file: 'clusters/us-west/observability.yaml', line: 16, column: 1, message: 'Kustomization loki is part of the cycle' });
});

test('--format sarif is SARIF 2.1.0 with every rule and its help', () => {
  const { stdout } = run(['check', EXAMPLE, '--format=sarif']);
  const sarif = JSON.parse(stdout);
  assert.equal(sarif.version, '2.1.0');
  const [run0] = sarif.runs;
  const ids = run0.tool.driver.rules.map((r: any) => r.id);
  assert.ok(ids.includes('flux/path-not-found') && ids.includes('kustomize/unlisted-manifest'));
  for (const rule of run0.tool.driver.rules) assert.ok(rule.help.text.length > 20 && rule.shortDescription.text && rule.helpUri);
  const result = run0.results.find((r: any) => r.ruleId === 'flux/path-not-found');
  assert.equal(result.level, 'error');
  assert.equal(run0.tool.driver.rules[result.ruleIndex].id, 'flux/path-not-found');
  assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, { uri: 'clusters/staging/apps.yaml', uriBaseId: '%SRCROOT%' });
  assert.equal(result.locations[0].physicalLocation.region.startLine, 11);
});

test('parse workers forced by GITOPS_GUARDRAILS_PARSE_WORKERS report the same JSON as the main thread', () => {
  const corpusRepo = path.resolve(ROOT, '../shared/corpus/onedr0p__home-ops');
  for (const dir of [EXAMPLE, ...(existsSync(corpusRepo) ? [corpusRepo] : [])]) {
    const check = (workers: string) => {
      const result = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GITOPS_GUARDRAILS_PARSE_WORKERS: workers } });
      return { code: result.status, stdout: result.stdout };
    };
    const inThread = check('0');
    const inWorkers = check('2');
    assert.ok(JSON.parse(inThread.stdout).findings.length > 0);
    assert.equal(inWorkers.code, inThread.code);
    assert.equal(inWorkers.stdout, inThread.stdout);
  }
});

test('check keeps its parse and result caches in GITOPS_GUARDRAILS_CACHE_DIR, reports the same JSON from it, and --no-cache neither reads nor writes it', () => {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'gitops-guardrails-cli-cache-'));
  try {
    const check = (...extra: string[]) => spawnSync(process.execPath, [CLI, 'check', EXAMPLE, '--format', 'json', ...extra], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GITOPS_GUARDRAILS_CACHE_DIR: cacheDir } });
    const uncached = check('--no-cache');
    assert.deepEqual(readdirSync(cacheDir), [], '--no-cache writes nothing');
    const cold = check();
    assert.deepEqual(readdirSync(cacheDir).sort(), ['parse-v1', 'results-v1'], 'the parse cache and the result cache');
    assert.equal(readdirSync(path.join(cacheDir, 'results-v1')).length, 1, 'one result file for the repository');
    const warm = check();
    assert.ok(JSON.parse(uncached.stdout).findings.length > 0);
    for (const run of [cold, warm]) {
      assert.equal(run.status, uncached.status);
      assert.equal(run.stdout, uncached.stdout);
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('idle parse workers keep nothing alive: after a load in workers the process has no active handle left', () => {
  // Asserted on the handles themselves, not on how long the process took (no timing in tests):
  // a ref'd idle timer or worker would show up in getActiveResourcesInfo().
  const script = [
    `const { RepoModel } = require(${JSON.stringify(path.join(ROOT, 'server/src/model/model'))});`,
    `const { RULE_IDS } = require(${JSON.stringify(path.join(ROOT, 'server/src/rules'))});`,
    `RepoModel.load(${JSON.stringify(EXAMPLE)}, RULE_IDS, undefined, { parseWorkers: 2, parseWorkerScript: ${JSON.stringify(path.join(ROOT, 'dist/parse-worker.js'))} })`,
    `  .then((m) => console.log(JSON.stringify({ files: m.files.size, active: process.getActiveResourcesInfo() })));`,
  ].join('\n');
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const { files, active } = JSON.parse(result.stdout);
  assert.ok(files > 0);
  // stdout and stderr are pipes here (PipeWrap); anything else would keep the process alive.
  assert.deepEqual(active.filter((r: string) => r !== 'PipeWrap'), []);
});

test('the bundled parse worker (dist/parse-worker.js) parses the files', async () => {
  const model = await RepoModel.load(EXAMPLE, RULE_IDS, undefined, { parseWorkers: 2, parseWorkerScript: path.join(ROOT, 'dist/parse-worker.js') });
  assert.ok(model.files.size > 0);
  // Only files that came from a worker wait for their documents.
  assert.deepEqual([...model.files.values()].filter(documentsParsed), []);
});

test('exit 0 on a clean repository, 2 on usage and I/O errors', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-cli-'));
  try {
    mkdirSync(path.join(dir, 'apps'));
    writeFileSync(path.join(dir, 'apps/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    assert.equal(run(['check', dir]).code, 0);
    const unknownFlag = run(['check', dir, '--strict']);
    assert.equal(unknownFlag.code, 2);
    assert.match(unknownFlag.stderr, /^Unknown option "--strict"\./);
    assert.equal(run(['check', dir, '--format', 'xml']).stderr.split('\n')[0], '--format takes text, json or sarif, not "xml".');
    const missing = run(['check', path.join(dir, 'nope')]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `gitops-guardrails: ${path.join(dir, 'nope')} is not a directory.\n`);
    assert.equal(run(['frobnicate']).code, 2);
    assert.equal(run(['--version']).stdout.trim(), JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--fix applies the fixes that are safe unattended, writes them, and reports what is left', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-cli-'));
  try {
    cpSync(EXAMPLE, dir, { recursive: true });
    const rules = (stdout: string) => new Set(JSON.parse(stdout).findings.map((f: { rule: string }) => f.rule));
    const before = rules(run(['check', dir, '--format', 'json']).stdout);
    const untouched = readFileSync(path.join(dir, 'clusters/staging/apps.yaml'), 'utf8');
    const fixed = run(['check', dir, '--fix', '--format', 'json']);
    assert.equal(fixed.code, 1);
    const after = rules(fixed.stdout);
    // (namespace/missing has no finding on the example: kustomize refuses environments/apps/echo, so Flux applies nothing of it.)
    for (const rule of ['flux/missing-decryption', 'flux/missing-depends-on', 'resources/missing', 'quota/no-limitrange']) {
      assert.ok(before.has(rule) && !after.has(rule), `${rule} should have been fixed`);
    }
    // Fixes that need a person stay findings, and the files they would change are untouched.
    assert.ok(after.has('flux/path-not-found') && after.has('kustomize/unlisted-manifest'));
    assert.equal(readFileSync(path.join(dir, 'clusters/staging/apps.yaml'), 'utf8'), untouched);
    assert.ok(!after.has('flux/dependency-cycle') || before.has('flux/dependency-cycle'));
    assert.match(fixed.stderr, /^fixed: Add dependsOn cloudnative-pg \(clusters\/us-west\/apps\.yaml\)$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('index --json lists clusters with their Kustomizations, layers and unreachable files', () => {
  const { code, stdout } = run(['index', EXAMPLE, '--json']);
  assert.equal(code, 0);
  const index = JSON.parse(stdout);
  assert.deepEqual(index.clusters.map((c: any) => c.name), ['staging', 'us-west']);
  const podinfo = index.clusters[0].kustomizations.find((k: any) => k.name === 'podinfo');
  assert.deepEqual(podinfo, {
    name: 'podinfo',
    namespace: 'flux-system',
    file: 'clusters/staging/apps.yaml',
    path: './environments/apps/podinfo/overlays/staging',
    folder: 'environments/apps/podinfo/overlays/staging',
    dependsOn: [{ name: 'postgres', namespace: 'flux-system' }],
  });
  assert.deepEqual(index.layers.map((l: any) => l.name), ['core', 'services', 'apps']);
});
