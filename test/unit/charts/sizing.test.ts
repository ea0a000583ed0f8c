// Sizing from chart defaults: a HelmRelease that sets no resources counts with its resolved
// chart's values.yaml resources, not as an unseen chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartRepo, fixtureChart, helmRelease } from '../../helpers/chartRepos';
import { check, FLUX_SYSTEM_SYNC, fluxKs, yaml } from '../../helpers/repo';
import { namespaceBudgets } from '../../../server/src/model/namespaceBudgets';

const quota = yaml`
  apiVersion: v1
  kind: ResourceQuota
  metadata:
    name: budget
    namespace: apps
  spec:
    hard:
      requests.cpu: 20m
`;
const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n';

function files(chartFolder: string | undefined) {
  return {
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
    'apps/kustomization.yaml': 'resources:\n  - namespace.yaml\n  - quota.yaml\n  - worker.yaml\n',
    'apps/namespace.yaml': namespace,
    'apps/quota.yaml': quota,
    'apps/worker.yaml': helmRelease('worker', { path: './charts/plain' }, 'replicaCount: 2\n'),
    ...(chartFolder ? fixtureChart('plain', chartFolder) : {}),
  };
}

test("a release without resources is sized from its chart's defaults", () => {
  const model = chartRepo(files('charts/plain'));
  const [budget] = namespaceBudgets(model).filter((b) => b.namespace === 'apps');
  assert.deepEqual(budget.unseenCharts, []);
  assert.equal(budget.workloads.length, 1);
  assert.ok(budget.workloads[0].budget.notes.includes("resources from the chart's values.yaml defaults (the HelmRelease does not set them)"));
  const findings = check(model, 'quota/over-budget');
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /requests\.cpu 100m needed \(2 × 50m worker\) > hard 20m/);
});

test('without the chart the release is an unseen chart, as before', () => {
  const model = chartRepo(files(undefined));
  const [budget] = namespaceBudgets(model).filter((b) => b.namespace === 'apps');
  assert.equal(budget.unseenCharts.length, 1);
  assert.deepEqual(check(model, 'quota/over-budget'), []);
});
