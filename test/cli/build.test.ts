// `gitops-guardrails build`: the built CLI in a child process against kubectl's goldens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { normalise, readGoldens, readPrinted } from '../render/goldens';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const EXAMPLE = path.join(ROOT, 'examples/layered-repo');
const FIXTURES = path.join(ROOT, 'test/render/fixtures');

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('build prints what kubectl kustomize prints for every buildable folder of the example', () => {
  const goldens = Object.entries(readGoldens('examples__layered-repo')).filter(([, g]) => g.objects);
  assert.ok(goldens.length >= 5);
  for (const [folder, golden] of goldens) {
    const { code, stdout, stderr } = run(['build', path.join(EXAMPLE, folder), '--root', EXAMPLE]);
    assert.equal(code, 0, stderr);
    const objects = parseAllDocuments(stdout).map((d) => d.toJS()).filter(Boolean);
    assert.deepEqual(normalise(objects), golden.objects, folder);
  }
});

test('build prints each render fixture as kubectl kustomize does: no anchor, no plain scalar a YAML 1.1 reader takes for another type', () => {
  const goldens = Object.entries(readGoldens('test__render-fixtures'));
  assert.ok(goldens.length >= 8);
  for (const [folder, golden] of goldens) {
    const { code, stdout, stderr } = run(['build', path.join(FIXTURES, folder), '--root', FIXTURES]);
    if (golden.refused !== undefined) {
      assert.equal(code, 2, folder);
      assert.match(stderr, /kustomization\.yaml is empty/, folder);
      continue;
    }
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stdout, /[&*]a\d/, folder);
    const printed = readPrinted(stdout);
    assert.equal(printed.ambiguous, undefined, folder);
    assert.deepEqual(normalise(printed.objects), golden.objects, folder);
  }
});

test('build exits 2 with the reason where kustomize refuses the folder', () => {
  const { code, stdout, stderr } = run(['build', 'examples/layered-repo/environments/apps/podinfo', '--root', 'examples/layered-repo']);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.match(stderr, /^gitops-guardrails: kustomize would refuse environments\/apps\/podinfo: accumulating resources from 'environments\/apps\/podinfo\/configmap\.yaml': MalformedYAMLError/);
});

test('build says what it cannot see instead of guessing (a remote base)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-build-'));
  try {
    mkdirSync(path.join(dir, '.git'));
    mkdirSync(path.join(dir, 'app'));
    writeFileSync(path.join(dir, 'app/kustomization.yaml'), 'resources:\n  - github.com/example/repo//deploy?ref=v1\n  - cm.yaml\n');
    writeFileSync(path.join(dir, 'app/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    const { code, stdout, stderr } = run(['build', 'app'], dir);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'gitops-guardrails: cannot build app: remote resource github.com/example/repo//deploy?ref=v1 is not in this repository (app/kustomization.yaml)\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('build finds the repository from .git and builds files outside the folder as Flux does', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-build-'));
  try {
    mkdirSync(path.join(dir, '.git'));
    mkdirSync(path.join(dir, 'base'));
    mkdirSync(path.join(dir, 'overlay'));
    writeFileSync(path.join(dir, 'base/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n');
    writeFileSync(path.join(dir, 'overlay/kustomization.yaml'), 'namespace: team\nnamePrefix: dev-\nresources:\n  - ../base/cm.yaml\n');
    const { code, stdout } = run(['build', 'overlay'], dir);
    assert.equal(code, 0);
    assert.equal(stdout, 'apiVersion: v1\ndata:\n  a: "1"\nkind: ConfigMap\nmetadata:\n  name: dev-settings\n  namespace: team\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('build without a folder is a usage error', () => {
  const { code, stderr } = run(['build']);
  assert.equal(code, 2);
  assert.match(stderr, /^build needs a folder\.\nUsage:/);
});

test('render prints what each Flux Kustomization of a cluster applies, with its source', () => {
  const { code, stdout, stderr } = run(['render', 'examples/layered-repo', '--cluster', 'staging']);
  // podinfo's spec.path does not exist (the example's flux/path-not-found): the others still print.
  assert.equal(code, 2);
  assert.equal(stderr, 'gitops-guardrails: Kustomization flux-system/podinfo cannot be rendered: kustomization path not found: environments/apps/podinfo/overlays/staging (clusters/staging/apps.yaml)\n');
  assert.ok(stdout.includes('---\n# source: environments/services/postgres/resourcequota.yaml:3 (Kustomization flux-system/postgres)\napiVersion: v1\nkind: ResourceQuota\n'), stdout);
  const quota = parseAllDocuments(stdout).map((d) => d.toJS()).find((o) => o?.kind === 'ResourceQuota');
  assert.equal(quota.metadata.labels['kustomize.toolkit.fluxcd.io/name'], 'postgres');
});

test('render --kustomization --format json prints one Kustomization as JSON', () => {
  const { code, stdout } = run(['render', 'examples/layered-repo', '--cluster', 'staging', '--kustomization', 'flux-system/postgres', '--format', 'json']);
  assert.equal(code, 0);
  const objects = JSON.parse(stdout);
  assert.ok(objects.length > 0);
  for (const o of objects) assert.equal(o.kustomization, 'flux-system/postgres');
  assert.deepEqual(Object.keys(objects[0]), ['kustomization', 'apiVersion', 'kind', 'namespace', 'name', 'source', 'object']);
});

test('render names the clusters when the one asked for does not exist', () => {
  const { code, stderr } = run(['render', 'examples/layered-repo', '--cluster', 'nope']);
  assert.equal(code, 2);
  assert.equal(stderr, 'No cluster "nope". Clusters: staging, us-west.\n');
});
