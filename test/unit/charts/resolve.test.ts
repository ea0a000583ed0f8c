import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartRepo, fixtureChart, fixtureStore, helmRelease } from '../../helpers/chartRepos';
import { yaml } from '../../helpers/repo';

const FLUX_SYSTEM = yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata:
    name: flux-system
    namespace: flux-system
  spec:
    interval: 1m
    url: ssh://git@github.com/example/home-ops
    ref:
      branch: main
`;

const HELM_REPOSITORY = yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: HelmRepository
  metadata:
    name: example
    namespace: apps
  spec:
    interval: 1h
    url: https://charts.example.com
`;

function only(model: ReturnType<typeof chartRepo>) {
  const all = [...model.charts.values()];
  assert.equal(all.length, 1);
  return all[0].resolution;
}

test('a chart path of this repository resolves to the chart folder, with its values, schema and CRDs', () => {
  const model = chartRepo({ 'flux/gotk-sync.yaml': FLUX_SYSTEM, ...fixtureChart('web', 'charts/web'), 'apps/web.yaml': helmRelease('web', { path: './charts/web' }) });
  const resolution = only(model);
  assert.equal(resolution.status, 'resolved');
  if (resolution.status !== 'resolved') return;
  assert.deepEqual(resolution.source, { kind: 'GitRepository', chart: './charts/web' });
  assert.equal(resolution.chart.name, 'web');
  assert.equal(resolution.chart.version, '1.4.0');
  assert.deepEqual(resolution.chart.origin, { kind: 'repository', path: 'charts/web' });
  assert.match(resolution.chart.valuesYaml ?? '', /replicaCount: 1/);
  assert.equal((resolution.chart.schema as any).type, 'object');
  assert.deepEqual(resolution.chart.crds.map((c) => c.path), ['charts/web/crds/widgets.yaml']);
});

test('a chart path without Chart.yaml is unresolved with the reason', () => {
  const model = chartRepo({ 'flux/gotk-sync.yaml': FLUX_SYSTEM, 'charts/none/values.yaml': 'a: 1\n', 'apps/web.yaml': helmRelease('web', { path: './charts/none' }) });
  assert.deepEqual(only(model), { status: 'unresolved', source: { kind: 'GitRepository', chart: './charts/none' }, reason: 'charts/none has no Chart.yaml: it is not a chart' });
});

test('a GitRepository of another repository is not read from this one', () => {
  const other = yaml`
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: GitRepository
    metadata:
      name: upstream
      namespace: flux-system
    spec:
      url: https://github.com/example/charts
      ref:
        branch: main
  `;
  const release = helmRelease('web', { path: './charts/web' }).replace('name: flux-system\n        namespace', 'name: upstream\n        namespace');
  const model = chartRepo({ 'flux/gotk-sync.yaml': FLUX_SYSTEM, 'flux/upstream.yaml': other, ...fixtureChart('web', 'charts/web'), 'apps/web.yaml': release });
  const resolution = only(model);
  assert.equal(resolution.status, 'unresolved');
  assert.match((resolution as any).reason, /^GitRepository flux-system\/upstream is another repository or branch \(https:\/\/github.com\/example\/charts\); chart \.\/charts\/web from https:\/\/github.com\/example\/charts: no chart cache is in use/);
});

test('a HelmRepository chart comes from the first store that has it; without one it is unresolved', () => {
  const files = { 'apps/repo.yaml': HELM_REPOSITORY, 'apps/web.yaml': helmRelease('web', { chart: 'web', repository: 'example', version: '1.x' }) };
  const unresolved = only(chartRepo(files));
  assert.deepEqual(unresolved, {
    status: 'unresolved',
    source: { kind: 'HelmRepository', url: 'https://charts.example.com', chart: 'web', version: '1.x' },
    reason: 'chart web 1.x from https://charts.example.com: no chart cache is in use (`gitops-guardrails charts pull` fetches it)',
  });
  const empty = fixtureStore('https://other.example.com', { web: 'web' });
  const store = fixtureStore('https://charts.example.com', { web: 'web' });
  const model = chartRepo(files, [empty, store]);
  const resolved = only(model);
  assert.equal(resolved.status, 'resolved');
  assert.equal(resolved.status === 'resolved' && resolved.chart.origin.kind, 'cache');
  assert.deepEqual(store.asked, [{ kind: 'HelmRepository', url: 'https://charts.example.com', chart: 'web', version: '1.x' }]);
  // Resolved once per model: asking again does not ask the stores again.
  void model.charts;
  assert.equal(store.asked.length, 1);
});

test('the sourceRef namespace defaults to the release namespace, as Flux does', () => {
  const elsewhere = HELM_REPOSITORY.replace('namespace: apps', 'namespace: flux-system');
  const model = chartRepo({ 'flux/repo.yaml': elsewhere, 'apps/web.yaml': helmRelease('web', { chart: 'web', repository: 'example' }) });
  assert.deepEqual(only(model), { status: 'unresolved', reason: 'its source HelmRepository apps/example is not defined in this repository' });
});

test('spec.chartRef to an OCIRepository asks the stores for the chart named by its URL, at its tag', () => {
  const oci = yaml`
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: OCIRepository
    metadata:
      name: web
      namespace: apps
    spec:
      url: oci://ghcr.io/example/charts/web
      ref:
        tag: 1.4.0
  `;
  const release = yaml`
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: web
      namespace: apps
    spec:
      chartRef:
        kind: OCIRepository
        name: web
  `;
  const store = fixtureStore('oci://ghcr.io/example/charts/web', { web: 'web' });
  const model = chartRepo({ 'apps/oci.yaml': oci, 'apps/web.yaml': release }, [store]);
  const [entry] = [...model.charts.values()];
  assert.deepEqual(entry.nodePath, ['spec', 'chartRef']);
  assert.equal(entry.resolution.status, 'resolved');
  assert.deepEqual(store.asked, [{ kind: 'OCIRepository', url: 'oci://ghcr.io/example/charts/web', chart: 'web', version: '1.4.0' }]);
});

test('spec.chartRef to a HelmChart follows the HelmChart spec to its source', () => {
  const helmChart = yaml`
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: HelmChart
    metadata:
      name: web
      namespace: apps
    spec:
      chart: ./charts/web
      sourceRef:
        kind: GitRepository
        name: flux-system
  `;
  const release = yaml`
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: web
      namespace: apps
    spec:
      chartRef:
        kind: HelmChart
        name: web
  `;
  const model = chartRepo({ 'flux/gotk-sync.yaml': FLUX_SYSTEM.replace('namespace: flux-system', 'namespace: apps'), 'apps/chart.yaml': helmChart, 'apps/web.yaml': release, ...fixtureChart('web', 'charts/web') });
  const resolution = only(model);
  assert.equal(resolution.status, 'resolved');
});

test('editing the chart version re-resolves; editing values does not', () => {
  const store = fixtureStore('https://charts.example.com', { web: 'web' });
  const model = chartRepo({ 'apps/repo.yaml': HELM_REPOSITORY, 'apps/web.yaml': helmRelease('web', { chart: 'web', repository: 'example', version: '1.x' }, 'replicaCount: 1\n') }, [store]);
  void model.charts;
  model.setFile('apps/web.yaml', helmRelease('web', { chart: 'web', repository: 'example', version: '1.x' }, 'replicaCount: 2\n'));
  void model.charts;
  assert.equal(store.asked.length, 1);
  model.setFile('apps/web.yaml', helmRelease('web', { chart: 'web', repository: 'example', version: '2.x' }, 'replicaCount: 2\n'));
  void model.charts;
  assert.deepEqual(store.asked.map((r) => r.version), ['1.x', '2.x']);
});

test('a version Flux substitutes later, or an OCIRepository pinned by digest only, is unresolved with the reason', () => {
  const substituted = chartRepo({ 'apps/repo.yaml': HELM_REPOSITORY, 'apps/web.yaml': helmRelease('web', { chart: 'web', repository: 'example', version: '${WEB_VERSION}' }) });
  assert.deepEqual(only(substituted), { status: 'unresolved', reason: 'spec.chart.spec.version "${WEB_VERSION}" uses a variable that Flux substitutes later' });
  const oci = yaml`
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: OCIRepository
    metadata:
      name: web
      namespace: apps
    spec:
      url: oci://ghcr.io/example/charts/web
      ref:
        digest: sha256:0123
  `;
  const release = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: web\n';
  const pinned = chartRepo({ 'apps/oci.yaml': oci, 'apps/web.yaml': release }, [fixtureStore('oci://ghcr.io/example/charts/web', { web: 'web' })]);
  assert.deepEqual(only(pinned), { status: 'unresolved', source: { kind: 'OCIRepository', url: 'oci://ghcr.io/example/charts/web', chart: 'web' }, reason: 'OCIRepository apps/web is pinned by digest only, so its chart version is not known here' });
});
