// Which chart source each HelmRelease names, for fetching; and the OCI reference and bearer
// challenge parsing the registry client relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartSources } from '../../../server/src/charts/sources';
import { fetchableSources, hostsOf } from '../../../server/src/charts/pull';
import { parseBearerChallenge, parseOciReference } from '../../../server/src/charts/oci';
import { repo, yaml } from '../../helpers/repo';

const SOURCES = yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: HelmRepository
  metadata: { name: bitnami, namespace: flux-system }
  spec: { url: "https://charts.example.com/bitnami/" }
  ---
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: HelmRepository
  metadata: { name: ghcr, namespace: flux-system }
  spec: { type: oci, url: "oci://ghcr.example.com/org/charts" }
  ---
  apiVersion: source.toolkit.fluxcd.io/v1beta2
  kind: OCIRepository
  metadata: { name: podinfo, namespace: apps }
  spec: { url: "oci://ghcr.example.com/stefanprodan/charts/podinfo", ref: { semver: ">=6.0.0" } }
`;

const RELEASES = yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: { name: redis, namespace: apps }
  spec:
    chart: { spec: { chart: redis, version: "18.x", sourceRef: { kind: HelmRepository, name: bitnami, namespace: flux-system } } }
  ---
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: { name: app, namespace: apps }
  spec:
    chart: { spec: { chart: app, version: 1.0.0, sourceRef: { kind: HelmRepository, name: ghcr, namespace: flux-system } } }
  ---
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: { name: podinfo, namespace: apps }
  spec:
    chartRef: { kind: OCIRepository, name: podinfo }
  ---
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: { name: local, namespace: apps }
  spec:
    chart: { spec: { chart: ./charts/local, sourceRef: { kind: GitRepository, name: flux-system, namespace: flux-system } } }
  ---
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: { name: templated, namespace: apps }
  spec:
    chart: { spec: { chart: app, version: "\${APP_VERSION}", sourceRef: { kind: HelmRepository, name: bitnami, namespace: flux-system } } }
  ---
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: { name: elsewhere, namespace: apps }
  spec:
    chart: { spec: { chart: x, sourceRef: { kind: HelmRepository, name: not-here } } }
`;

test('each HelmRelease names its chart source: HTTP and OCI HelmRepositories, an OCIRepository chartRef; or why not', () => {
  const model = repo({ 'sources.yaml': SOURCES, 'releases.yaml': RELEASES });
  const byName = new Map(chartSources(model).map((r) => [r.release.name, r]));
  assert.deepEqual(byName.get('redis')!.source, { kind: 'HelmRepository', url: 'https://charts.example.com/bitnami/', chart: 'redis', version: '18.x' });
  assert.deepEqual(byName.get('app')!.source, { kind: 'HelmRepository', url: 'oci://ghcr.example.com/org/charts', chart: 'app', version: '1.0.0' });
  assert.deepEqual(byName.get('podinfo')!.source, { kind: 'OCIRepository', url: 'oci://ghcr.example.com/stefanprodan/charts/podinfo', chart: 'podinfo', version: '>=6.0.0' });
  // The reasons are the model's chart resolver's (model/charts/resolve.ts): one answer per release.
  assert.equal(byName.get('local')!.reason, 'its source GitRepository flux-system/flux-system is not defined in this repository and "./charts/local" is not a folder of it');
  assert.equal(byName.get('templated')!.reason, 'spec.chart.spec.version "${APP_VERSION}" uses a variable that Flux substitutes later');
  assert.match(byName.get('elsewhere')!.reason!, /^its source HelmRepository (\S+\/)?not-here is not defined in this repository$/);
  const fetchable = fetchableSources(chartSources(model).map((r) => r.source));
  assert.deepEqual(fetchable.map((s) => s.chart), ['redis', 'app', 'podinfo']);
  assert.deepEqual(hostsOf(fetchable), ['charts.example.com', 'ghcr.example.com']);
});

test('OCI references: registry, repository path, plain HTTP only on loopback', () => {
  assert.deepEqual(parseOciReference('oci://ghcr.io/org/charts/podinfo'), { registry: 'https://ghcr.io', host: 'ghcr.io', repository: 'org/charts/podinfo' });
  assert.deepEqual(parseOciReference('oci://127.0.0.1:5000/charts/podinfo'), { registry: 'http://127.0.0.1:5000', host: '127.0.0.1:5000', repository: 'charts/podinfo' });
  assert.equal(parseOciReference('oci://localhost.example.com/x').registry, 'https://localhost.example.com');
  assert.throws(() => parseOciReference('https://ghcr.io/x'), /is not an oci:\/\/ reference/);
  assert.throws(() => parseOciReference('oci://ghcr.io/Upper/Case'), /is not an OCI repository name/);
});

test('bearer challenges: realm, service and scope; other schemes are not answered', () => {
  assert.deepEqual(parseBearerChallenge('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:org/chart:pull"'), {
    realm: 'https://auth.example.com/token',
    service: 'registry.example.com',
    scope: 'repository:org/chart:pull',
  });
  assert.equal(parseBearerChallenge('Basic realm="registry"'), undefined);
  assert.equal(parseBearerChallenge(null), undefined);
});
