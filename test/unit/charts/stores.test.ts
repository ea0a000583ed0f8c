// The offline chart stores: our cache (keyed by repository URL + chart + exact version, corrupt
// entries ignored) and the user's Helm cache (repositories.yaml → index → archive, digest checked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChartCache } from '../../../server/src/charts/cacheStore';
import { HelmCacheStore } from '../../../server/src/charts/helmCacheStore';
import { chartIdentity } from '../../../server/src/charts/identity';
import { chartCacheDir, helmCacheHome, helmRepositoryConfig } from '../../../server/src/charts/paths';
import { readChartArchive } from '../../../server/src/charts/archive';
import { pickVersion } from '../../../server/src/charts/versions';
import { packageChart, sha256, type FixtureChart } from '../../helpers/charts';

const CRD = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n';
const strict: FixtureChart = {
  name: 'strict',
  version: '1.2.0',
  values: '# Replicas of the server.\nreplicaCount: 1\n',
  schema: { type: 'object', additionalProperties: false, properties: { replicaCount: { type: 'integer' } } },
  crds: { 'widgets.yaml': CRD },
  subcharts: [{ name: 'sub', version: '0.1.0', values: 'a: 1\n', crds: { 'gadgets.yaml': CRD.replace('widgets', 'gadgets') } }],
};
const ref = (version?: string) => ({ kind: 'HelmRepository' as const, url: 'https://charts.example.com/', chart: 'strict', version });

function temp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'gg-stores-'));
}

test('a chart archive gives values.yaml, the parsed schema and the CRDs of the chart and its subcharts', () => {
  const chart = readChartArchive(packageChart(strict));
  assert.equal(chart.name, 'strict');
  assert.equal(chart.version, '1.2.0');
  assert.equal(chart.valuesYaml, '# Replicas of the server.\nreplicaCount: 1\n');
  assert.deepEqual(chart.schema, strict.schema);
  assert.deepEqual(chart.crds.map((c) => c.path), ['charts/sub/crds/gadgets.yaml', 'crds/widgets.yaml']);
  assert.equal(chart.crds[1]!.text, CRD);
});

test('an archive that is not a chart is refused with a reason', () => {
  assert.throws(() => readChartArchive(Buffer.from('not gzip')), /not a gzip archive/);
});

test('versions: exact, ranges and the latest stable one, with the semver library', () => {
  const versions = ['1.0.0', '1.2.0', '1.10.1', '2.0.0-rc.1', 'v0.9.0'];
  assert.equal(pickVersion(versions, undefined), '1.10.1');
  assert.equal(pickVersion(versions, '^1.0'), '1.10.1');
  assert.equal(pickVersion(versions, '~1.2'), '1.2.0');
  assert.equal(pickVersion(versions, '1.0.0'), '1.0.0');
  assert.equal(pickVersion(versions, '>=2.0.0-0'), '2.0.0-rc.1');
  assert.equal(pickVersion(versions, '0.9.x'), 'v0.9.0');
  assert.equal(pickVersion(versions, '^3'), undefined);
});

test('our cache: an entry is found by repository URL, chart and a constraint; another repository does not see it', async () => {
  const root = temp();
  try {
    const cache = new ChartCache(root);
    assert.equal(cache.find(ref()), undefined);
    await cache.put(chartIdentity(ref()), '1.2.0', packageChart(strict));
    await cache.put(chartIdentity(ref()), '1.0.0', packageChart({ ...strict, version: '1.0.0' }));
    const fresh = new ChartCache(root);
    assert.equal(fresh.find(ref())?.version, '1.2.0');
    assert.equal(fresh.find(ref('~1.0'))?.version, '1.0.0');
    assert.equal(fresh.find(ref('^2'))?.version, undefined);
    assert.equal(fresh.find({ ...ref(), url: 'https://other.example.com' }), undefined);
    assert.equal(fresh.find(ref())?.origin.kind, 'cache');
    assert.match(fresh.find(ref())!.origin.path, /charts-v1[/\\][0-9a-f]{32}[/\\]1\.2\.0\.tgz$/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('our cache: a corrupt entry is ignored (the next version that reads is used)', async () => {
  const root = temp();
  try {
    const cache = new ChartCache(root);
    const identity = chartIdentity(ref());
    await cache.put(identity, '1.0.0', packageChart({ ...strict, version: '1.0.0' }));
    await cache.put(identity, '1.2.0', Buffer.from('truncated'));
    // An archive of another chart under this key is as good as corrupt.
    await cache.put(identity, '1.3.0', packageChart({ ...strict, name: 'other', version: '1.3.0' }));
    assert.equal(new ChartCache(root).find(ref())?.version, '1.0.0');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an OCIRepository is keyed by its artifact URL, whatever chart name it is given', async () => {
  const root = temp();
  try {
    const cache = new ChartCache(root);
    const oci = { kind: 'OCIRepository' as const, url: 'oci://ghcr.io/org/charts/strict', chart: 'anything', version: '1.2.0' };
    await cache.put(chartIdentity(oci), '1.2.0', packageChart(strict));
    assert.equal(new ChartCache(root).find({ ...oci, chart: 'strict' })?.version, '1.2.0');
    assert.equal(new ChartCache(root).find({ kind: 'HelmRepository', url: 'oci://ghcr.io/org/charts', chart: 'strict', version: '1.2.0' }), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

function helmCache(archive: Buffer, digest: string): { cache: string; config: string; root: string } {
  const root = temp();
  const cache = path.join(root, 'cache', 'repository');
  mkdirSync(cache, { recursive: true });
  writeFileSync(path.join(root, 'repositories.yaml'), 'apiVersion: ""\nrepositories:\n- name: example\n  url: https://charts.example.com\n  username: someone\n  password: not-read\n');
  writeFileSync(
    path.join(cache, 'example-index.yaml'),
    `apiVersion: v1\nentries:\n  strict:\n  - name: strict\n    version: 1.2.0\n    digest: ${digest}\n    urls: [https://charts.example.com/strict-1.2.0.tgz]\n  - name: strict\n    version: 1.0.0\n    urls: [strict-1.0.0.tgz]\n`,
  );
  writeFileSync(path.join(cache, 'strict-1.2.0.tgz'), archive);
  writeFileSync(path.join(cache, 'strict-1.0.0.tgz'), packageChart({ ...strict, version: '1.0.0' }));
  return { cache, config: path.join(root, 'repositories.yaml'), root };
}

test('the Helm cache: the version the index picks, read from the archive Helm downloaded', () => {
  const archive = packageChart(strict);
  const { cache, config, root } = helmCache(archive, sha256(archive));
  try {
    const store = new HelmCacheStore(cache, config);
    const chart = store.find(ref('^1'));
    assert.equal(chart?.version, '1.2.0');
    assert.equal(chart?.origin.kind, 'helm-cache');
    assert.equal(chart?.valuesYaml, strict.values);
    assert.equal(store.find(ref('1.0.0'))?.version, '1.0.0');
    assert.equal(store.find({ ...ref(), url: 'https://unknown.example.com' }), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the Helm cache: an archive whose digest is not the index one is not used', () => {
  const archive = packageChart(strict);
  const { cache, config, root } = helmCache(archive, 'a'.repeat(64));
  try {
    assert.equal(new HelmCacheStore(cache, config).find(ref('1.2.0')), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('default folders follow Helm on each platform and our variable first', () => {
  assert.equal(helmCacheHome({ HELM_CACHE_HOME: '/x' }, 'linux', '/home/u'), '/x');
  assert.equal(helmCacheHome({}, 'linux', '/home/u'), path.join('/home/u', '.cache', 'helm'));
  assert.equal(helmCacheHome({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/u'), path.join('/xdg', 'helm'));
  assert.equal(helmCacheHome({}, 'darwin', '/Users/u'), path.join('/Users/u', 'Library', 'Caches', 'helm'));
  assert.equal(helmCacheHome({ TEMP: 'C:\\Temp' }, 'win32', 'C:\\Users\\u'), path.join('C:\\Temp', 'helm'));
  assert.equal(helmRepositoryConfig({}, 'linux', '/home/u'), path.join('/home/u', '.config', 'helm', 'repositories.yaml'));
  assert.equal(chartCacheDir({ GITOPS_GUARDRAILS_CACHE_DIR: '/c' }, '/storage'), '/c');
  assert.equal(chartCacheDir({}, '/storage'), '/storage');
  assert.equal(chartCacheDir({}, undefined, 'linux', '/home/u'), path.join('/home/u', '.cache', 'gitops-guardrails'));
});
