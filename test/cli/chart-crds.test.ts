// A custom resource whose CRD no bundled snapshot has (an opstree-style RedisSentinel here) is
// judged by the CRD its operator's chart ships in crds/, once the user has fetched the chart
// (`charts pull`, served on 127.0.0.1): before, its kind is "no schema known", an information and
// never an error. The chart and its CRD are written from scratch for this test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveFolder, writeHelmRepository, type FixtureChart, type RunningServer } from '../helpers/charts';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

/** A RedisSentinel-shaped CRD: the sentinel settings live under spec.redisSentinelConfig. */
const SENTINEL_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: redissentinels.cache.example.org
spec:
  group: cache.example.org
  names:
    kind: RedisSentinel
    plural: redissentinels
  scope: Namespaced
  versions:
    - name: v1beta2
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [kubernetesConfig]
              properties:
                clusterSize:
                  type: integer
                kubernetesConfig:
                  type: object
                  properties:
                    image:
                      type: string
                redisSentinelConfig:
                  type: object
                  properties:
                    redisReplicationName:
                      type: string
                    masterGroupName:
                      type: string
                    quorum:
                      type: string
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
`;

const operator: FixtureChart = { name: 'sentinel-operator', version: '0.9.1', values: 'replicas: 1\n', crds: { 'redissentinel.yaml': SENTINEL_CRD } };

let work: string;
let server: RunningServer;

before(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'gg-chart-crds-'));
  writeHelmRepository(path.join(work, 'served'), [{ chart: operator }]);
  server = await serveFolder(path.join(work, 'served'));
  const apps = path.join(work, 'repo', 'apps');
  mkdirSync(apps, { recursive: true });
  writeFileSync(
    path.join(apps, 'operator.yaml'),
    `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: operators\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: ${server.url}\n---\n` +
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: sentinel-operator\n  namespace: apps\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: sentinel-operator\n      version: 0.9.1\n      sourceRef:\n        kind: HelmRepository\n        name: operators\n        namespace: flux-system\n',
  );
  // masterGroupName belongs under redisSentinelConfig, not directly under spec.
  writeFileSync(
    path.join(apps, 'sentinel.yaml'),
    'apiVersion: cache.example.org/v1beta2\nkind: RedisSentinel\nmetadata:\n  name: sentinel\n  namespace: apps\nspec:\n  clusterSize: 3\n  kubernetesConfig:\n    image: redis-sentinel:v7\n  masterGroupName: primary\n  redisSentinelConfig:\n    redisReplicationName: redis\n',
  );
});

after(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, GITOPS_GUARDRAILS_CACHE_DIR: path.join(work, 'cache'), HELM_CACHE_HOME: path.join(work, 'helm-cache'), HELM_REPOSITORY_CONFIG: path.join(work, 'no-repositories.yaml') };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function sentinelFindings(): Promise<string[]> {
  const run = await cli(['check', path.join(work, 'repo'), '--format', 'json', '--no-cache']);
  assert.equal(run.stderr, '');
  const findings = JSON.parse(run.stdout).findings as { rule: string; severity: string; file: string; line: number; column: number; endColumn: number; message: string }[];
  return findings.filter((f) => f.file === 'apps/sentinel.yaml' && f.rule === 'schema/invalid').map((f) => `${f.severity} ${f.line}:${f.column}-${f.endColumn} ${f.message}`);
}

test("a field nested in the wrong place of a RedisSentinel is an error once the operator's chart is fetched, and no schema known before", async () => {
  assert.deepEqual(await sentinelFindings(), [
    'information 2:7-20 No schema is known for cache.example.org/v1beta2 RedisSentinel: its CustomResourceDefinition is not in this repository, so documents of this kind are not validated.',
  ]);
  const pull = await cli(['charts', 'pull', path.join(work, 'repo')]);
  assert.equal(pull.code, 0, pull.stdout + pull.stderr);
  assert.deepEqual(await sentinelFindings(), [
    'error 10:3-18 Unknown field "masterGroupName" in RedisSentinel.spec; allowed fields: clusterSize, kubernetesConfig, redisSentinelConfig',
  ]);
  // Moved where the CRD has it, the document is valid.
  const file = path.join(work, 'repo', 'apps', 'sentinel.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('  masterGroupName: primary\n', '').replace('redisReplicationName: redis\n', 'redisReplicationName: redis\n    masterGroupName: primary\n'));
  assert.deepEqual(await sentinelFindings(), []);
});
