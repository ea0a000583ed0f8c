// Fetching with real servers on 127.0.0.1 only: a static Helm repository served by Python's
// http.server, Debian's docker-registry (the distribution registry) into which the project pushes
// the chart with its own OCI code, and a server that never answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChartCache } from '../../../server/src/charts/cacheStore';
import { OciClient, parseOciReference } from '../../../server/src/charts/oci';
import { pullCharts, type FetchableSource } from '../../../server/src/charts/pull';
import { DEFAULT_LIMITS } from '../../../server/src/charts/http';
import { packageChart, registryMissing, serveFolder, startRegistry, startTokenServer, writeHelmRepository, type FixtureChart, type RunningServer } from '../../helpers/charts';

const podinfo = (version: string): FixtureChart => ({ name: 'podinfo', version, values: 'replicaCount: 1\n' });
const temp = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));

let folder: string;
let repository: RunningServer;

before(async () => {
  folder = temp('gg-helmrepo-');
  writeHelmRepository(path.join(folder, 'good'), [{ chart: podinfo('6.5.0') }, { chart: podinfo('6.5.4') }, { chart: podinfo('7.0.0') }]);
  writeHelmRepository(path.join(folder, 'tampered'), [{ chart: podinfo('6.5.4'), digest: 'f'.repeat(64) }]);
  repository = await serveFolder(folder);
});

after(async () => {
  await repository?.stop();
  rmSync(folder, { recursive: true, force: true });
});

function source(sub: string, version?: string): FetchableSource {
  return { kind: 'HelmRepository', url: `${repository.url}/${sub}`, chart: 'podinfo', version };
}

test('HTTP repository: pull fills the cache with the version the constraint picks; a second pull fetches nothing', async () => {
  const root = temp('gg-cache-');
  const own = await serveFolder(path.join(folder, 'good'));
  try {
    const ranged: FetchableSource = { kind: 'HelmRepository', url: own.url, chart: 'podinfo', version: '^6' };
    const first = await pullCharts([ranged], new ChartCache(root));
    assert.deepEqual(first.map((o) => [o.status, o.version, o.detail]), [['fetched', '6.5.4', `${own.url}/podinfo-6.5.4.tgz`]]);
    assert.equal(new ChartCache(root).find(ranged)?.valuesYaml, 'replicaCount: 1\n');
    // With the server stopped, a second pull can only succeed without the network.
    await own.stop();
    const second = await pullCharts([ranged, { ...ranged, version: '6.5.4' }], new ChartCache(root));
    assert.deepEqual(second.map((o) => [o.status, o.version]), [['cached', '6.5.4'], ['cached', '6.5.4']]);
  } finally {
    await own.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('HTTP repository: an archive whose digest is not the index one is refused and not stored', async () => {
  const root = temp('gg-cache-');
  try {
    const [outcome] = await pullCharts([source('tampered', '6.5.4')], new ChartCache(root));
    assert.equal(outcome!.status, 'failed');
    assert.match(outcome!.detail!, /podinfo-6\.5\.4\.tgz: digest sha256:[0-9a-f]{64} is not the index's f{64}; refused$/);
    assert.equal(new ChartCache(root).find(source('tampered', '6.5.4')), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('HTTP repository: an archive over the size limit is refused', async () => {
  const root = temp('gg-cache-');
  try {
    const limits = { ...DEFAULT_LIMITS, archive: { timeoutMs: 10_000, maxBytes: 64 } };
    const [outcome] = await pullCharts([source('good', '6.5.4')], new ChartCache(root), { limits });
    assert.equal(outcome!.status, 'failed');
    assert.match(outcome!.detail!, /podinfo-6\.5\.4\.tgz: \d+ bytes, more than the limit of 64$/);
    assert.deepEqual(readdirSync(root), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('HTTP repository: no version satisfying the constraint, and a chart the index lacks, fail with the reason', async () => {
  const root = temp('gg-cache-');
  try {
    const outcomes = await pullCharts([source('good', '^9'), { ...source('good'), chart: 'absent' }], new ChartCache(root));
    assert.deepEqual(
      outcomes.map((o) => o.detail),
      [`no version of "podinfo" in ${repository.url}/good/index.yaml satisfies "^9"`, `${repository.url}/good/index.yaml has no chart "absent"`],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a server that accepts the connection and never answers is given up after the timeout', async () => {
  const sockets: import('node:net').Socket[] = [];
  const silent: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  const root = temp('gg-cache-');
  try {
    const limits = { ...DEFAULT_LIMITS, index: { timeoutMs: 300, maxBytes: 1024 } };
    const [outcome] = await pullCharts([{ kind: 'HelmRepository', url: `http://127.0.0.1:${port}/charts`, chart: 'podinfo' }], new ChartCache(root), { limits });
    assert.equal(outcome!.status, 'failed');
    assert.equal(outcome!.detail, `http://127.0.0.1:${port}/charts/index.yaml: no complete answer within 0.3 s`);
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a URL with credentials is never requested', async () => {
  const root = temp('gg-cache-');
  try {
    const [outcome] = await pullCharts([{ kind: 'HelmRepository', url: 'https://user:secret@127.0.0.1:1/charts', chart: 'podinfo' }], new ChartCache(root));
    assert.equal(outcome!.detail, 'https://127.0.0.1:1/charts/index.yaml: a URL with credentials is not fetched');
    assert.ok(!outcome!.detail!.includes('secret'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a chart the user\'s Helm cache already has is not fetched', async () => {
  const root = temp('gg-cache-');
  try {
    const archive = packageChart(podinfo('6.5.4'));
    const helm = path.join(root, 'helm');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(helm, 'repository'), { recursive: true });
    // Port 1 on loopback: nothing listens, so a fetch could only fail.
    const url = 'http://127.0.0.1:1/charts';
    writeFileSync(path.join(helm, 'repositories.yaml'), `repositories:\n- name: local\n  url: ${url}\n`);
    writeFileSync(path.join(helm, 'repository', 'local-index.yaml'), 'apiVersion: v1\nentries:\n  podinfo:\n  - version: 6.5.4\n    urls: [podinfo-6.5.4.tgz]\n');
    writeFileSync(path.join(helm, 'repository', 'podinfo-6.5.4.tgz'), archive);
    const { HelmCacheStore } = await import('../../../server/src/charts/helmCacheStore');
    const offline = [new HelmCacheStore(path.join(helm, 'repository'), path.join(helm, 'repositories.yaml'))];
    const [outcome] = await pullCharts([{ kind: 'HelmRepository', url, chart: 'podinfo', version: '^6' }], new ChartCache(path.join(root, 'cache')), { offline });
    assert.deepEqual([outcome!.status, outcome!.version, outcome!.detail], ['cached', '6.5.4', 'in the Helm cache']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

const missing = registryMissing();

test('OCI registry (docker-registry): the project pushes the chart, then pulls it by tag range and by exact tag', { skip: missing }, async () => {
  const registry = await startRegistry();
  const root = temp('gg-cache-');
  try {
    const host = `127.0.0.1:${registry.port}`;
    const client = new OciClient();
    for (const version of ['6.5.0', '6.5.4', '7.0.0']) await client.pushChart(parseOciReference(`oci://${host}/charts/podinfo`), version, packageChart(podinfo(version)), podinfo(version));
    const viaHelmRepository: FetchableSource = { kind: 'HelmRepository', url: `oci://${host}/charts`, chart: 'podinfo', version: '>=6.0.0 <7.0.0' };
    const viaOciRepository: FetchableSource = { kind: 'OCIRepository', url: `oci://${host}/charts/podinfo`, chart: 'podinfo', version: '7.0.0' };
    const first = await pullCharts([viaHelmRepository, viaOciRepository], new ChartCache(root));
    assert.deepEqual(first.map((o) => [o.status, o.version, o.detail]), [
      ['fetched', '6.5.4', `oci://${host}/charts/podinfo:6.5.4`],
      ['fetched', '7.0.0', `oci://${host}/charts/podinfo:7.0.0`],
    ]);
    assert.equal(new ChartCache(root).find(viaOciRepository)?.valuesYaml, 'replicaCount: 1\n');
    await registry.stop();
    const second = await pullCharts([viaHelmRepository, viaOciRepository], new ChartCache(root));
    assert.deepEqual(second.map((o) => o.status), ['cached', 'cached']);
  } finally {
    await registry.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('OCI registry (docker-registry): a chart layer whose bytes do not match its digest is refused', { skip: missing }, async () => {
  const registry = await startRegistry();
  const root = temp('gg-cache-');
  try {
    const host = `127.0.0.1:${registry.port}`;
    const archive = packageChart(podinfo('1.0.0'));
    await new OciClient().pushChart(parseOciReference(`oci://${host}/charts/podinfo`), '1.0.0', archive, podinfo('1.0.0'));
    // Tamper with the stored blob on the registry's disk, keeping its size.
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update(archive).digest('hex');
    const blob = path.join(registry.folder, 'data', 'docker', 'registry', 'v2', 'blobs', 'sha256', digest.slice(0, 2), digest, 'data');
    const bytes = readFileSync(blob);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(blob, bytes);
    assert.equal(statSync(blob).size, archive.length);
    const [outcome] = await pullCharts([{ kind: 'OCIRepository', url: `oci://${host}/charts/podinfo`, chart: 'podinfo', version: '1.0.0' }], new ChartCache(root));
    assert.equal(outcome!.status, 'failed');
    assert.match(outcome!.detail!, new RegExp(`^oci://${host}/charts/podinfo:1\\.0\\.0: the chart layer's digest is sha256:[0-9a-f]{64}, not the manifest's sha256:${digest}; refused$`));
    assert.equal(new ChartCache(root).find({ kind: 'OCIRepository', url: `oci://${host}/charts/podinfo`, chart: 'podinfo', version: '1.0.0' }), undefined);
  } finally {
    await registry.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('OCI registry (docker-registry): a layer larger than the size limit is not downloaded', { skip: missing }, async () => {
  const registry = await startRegistry();
  const root = temp('gg-cache-');
  try {
    const host = `127.0.0.1:${registry.port}`;
    await new OciClient().pushChart(parseOciReference(`oci://${host}/charts/podinfo`), '1.0.0', packageChart(podinfo('1.0.0')), podinfo('1.0.0'));
    const limits = { ...DEFAULT_LIMITS, archive: { timeoutMs: 10_000, maxBytes: 64 } };
    const [outcome] = await pullCharts([{ kind: 'OCIRepository', url: `oci://${host}/charts/podinfo`, chart: 'podinfo', version: '1.0.0' }], new ChartCache(root), { limits });
    assert.match(outcome!.detail!, new RegExp(`^oci://${host}/charts/podinfo:1\\.0\\.0: the chart is \\d+ bytes, more than the limit of 64$`));
  } finally {
    await registry.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('OCI registry with token auth: a 401 with a Bearer challenge is answered with an anonymous token from its realm', { skip: missing }, async () => {
  const tokens = await startTokenServer('gitops-guardrails-test-registry');
  const registry = await startRegistry({
    auth: { token: { realm: tokens.realm, service: 'gitops-guardrails-test-registry', issuer: 'gitops-guardrails-test', rootcertbundle: tokens.certificate } },
  });
  const root = temp('gg-cache-');
  try {
    const host = `127.0.0.1:${registry.port}`;
    const challenge = await fetch(`${registry.url}/v2/charts/podinfo/tags/list`);
    assert.equal(challenge.status, 401, 'the registry does not ask for a token');
    assert.match(challenge.headers.get('www-authenticate') ?? '', /^Bearer realm=/);
    await new OciClient().pushChart(parseOciReference(`oci://${host}/charts/podinfo`), '2.0.0', packageChart(podinfo('2.0.0')), podinfo('2.0.0'));
    const before = tokens.issued();
    const [outcome] = await pullCharts([{ kind: 'OCIRepository', url: `oci://${host}/charts/podinfo`, chart: 'podinfo', version: '^2' }], new ChartCache(root));
    assert.deepEqual([outcome!.status, outcome!.version], ['fetched', '2.0.0'], outcome!.detail);
    assert.equal(tokens.issued() - before, 1, 'one token for the pull (tags, manifest and blob share it)');
  } finally {
    await registry.stop();
    await tokens.close();
    rmSync(root, { recursive: true, force: true });
  }
});

if (missing) test(`OCI registry tests skipped: ${missing}`, { skip: missing }, () => {});
