// `gitops-guardrails charts pull` as a user runs it: the built CLI in a child process, against a
// fixture repository whose HelmReleases take their charts from a Helm repository served by
// Python's http.server and from Debian's docker-registry, both on 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OciClient, parseOciReference } from '../../server/src/charts/oci';
import { packageChart, registryMissing, serveFolder, startRegistry, writeHelmRepository, type FixtureChart, type RunningServer } from '../helpers/charts';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const missing = registryMissing();

const strict: FixtureChart = {
  name: 'strict',
  version: '1.4.2',
  values: 'replicaCount: 1\nservice:\n  port: 80\n',
  schema: { type: 'object', additionalProperties: false, properties: { replicaCount: { type: 'integer' }, service: { type: 'object' } } },
};
const loose: FixtureChart = { name: 'loose', version: '0.3.0', values: 'podAnnotations: {}\n' };

let work: string;
let repository: RunningServer;
let registry: (RunningServer & { folder: string }) | undefined;

before(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'gg-charts-cli-'));
  writeHelmRepository(path.join(work, 'served'), [{ chart: strict }, { chart: { ...strict, version: '1.3.0' } }]);
  repository = await serveFolder(path.join(work, 'served'));
  if (!missing) {
    registry = await startRegistry();
    await new OciClient().pushChart(parseOciReference(`oci://127.0.0.1:${registry.port}/charts/loose`), loose.version, packageChart(loose), loose);
  }
  const repo = path.join(work, 'repo');
  mkdirSync(path.join(repo, 'apps'), { recursive: true });
  writeFileSync(
    path.join(repo, 'apps', 'sources.yaml'),
    [
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: fixture\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: ${repository.url}\n`,
      registry ? `apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: OCIRepository\nmetadata:\n  name: loose\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: oci://127.0.0.1:${registry.port}/charts/loose\n  ref:\n    semver: ">=0.1.0"\n` : '',
    ].filter(Boolean).join('---\n'),
  );
  writeFileSync(
    path.join(repo, 'apps', 'releases.yaml'),
    [
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: strict\n  namespace: apps\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: strict\n      version: "^1.3"\n      sourceRef:\n        kind: HelmRepository\n        name: fixture\n        namespace: flux-system\n  values:\n    replicaCount: two\n    port: 8080\n',
      registry ? 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: loose\n  namespace: apps\nspec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: loose\n    namespace: flux-system\n' : '',
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: local\n  namespace: apps\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: ./charts/local\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n',
    ].filter(Boolean).join('---\n'),
  );
});

after(async () => {
  await repository?.stop();
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

function pull(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return cli(['charts', 'pull', path.join(work, 'repo')]);
}

function cli(args: string[], cache = path.join(work, 'cache')): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, GITOPS_GUARDRAILS_CACHE_DIR: cache, HELM_CACHE_HOME: path.join(work, 'helm-cache'), HELM_REPOSITORY_CONFIG: path.join(work, 'no-repositories.yaml') };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('charts pull fetches every HelmRelease chart once; a second run fetches nothing', async () => {
  const first = await pull();
  assert.equal(first.stderr, '');
  assert.equal(first.code, 0, first.stdout);
  const lines = first.stdout.trim().split('\n');
  assert.ok(lines.includes(`fetched  strict 1.4.2 from ${repository.url}/strict-1.4.2.tgz`), first.stdout);
  if (registry) assert.ok(lines.includes(`fetched  loose 0.3.0 from oci://127.0.0.1:${registry.port}/charts/loose:0.3.0`), first.stdout);
  // The reason is the model's chart resolver's (model/charts/resolve.ts).
  assert.ok(lines.includes('skipped  HelmRelease apps/local (apps/releases.yaml): its source GitRepository flux-system/flux-system is not defined in this repository and "./charts/local" is not a folder of it'), first.stdout);
  assert.equal(lines.at(-1), `${registry ? 2 : 1} fetched, 0 cached, 0 failed, 1 skipped (cache: ${path.join(work, 'cache')})`);

  const second = await pull();
  assert.equal(second.code, 0, second.stdout);
  assert.ok(second.stdout.includes(`cached   strict 1.4.2 (${repository.url})`), second.stdout);
  assert.equal(second.stdout.trim().split('\n').at(-1), `0 fetched, ${registry ? 2 : 1} cached, 0 failed, 1 skipped (cache: ${path.join(work, 'cache')})`);
});

test('after charts pull, check judges the values against the fetched chart; with no cache it says nothing of them', async () => {
  await pull();
  const helm = (stdout: string) => JSON.parse(stdout).findings.filter((f: { rule: string }) => f.rule.startsWith('helm/')).map((f: any) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.message}`);
  const checked = await cli(['check', path.join(work, 'repo'), '--format', 'json', '--no-cache']);
  const found = helm(checked.stdout);
  assert.equal(found.length, 2, found.join("\n"));
  assert.equal(found[0], 'helm/invalid-values apps/releases.yaml:17:19 "replicaCount" must be an integer, got string (chart strict 1.4.2)');
  assert.equal(found[1], 'helm/invalid-values apps/releases.yaml:18:5 Unknown field "port" in values; allowed fields: replicaCount, service (chart strict 1.4.2)');
  const empty = await cli(['check', path.join(work, 'repo'), '--format', 'json', '--no-cache'], path.join(work, 'empty-cache'));
  assert.deepEqual(helm(empty.stdout), []);
});

if (missing) test(`charts pull from an OCI registry skipped: ${missing}`, { skip: missing }, () => {});
