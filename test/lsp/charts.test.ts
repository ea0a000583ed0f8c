// Chart fetching through a real LSP connection: the `ask` notification (window/showMessageRequest)
// names the host, Fetch Charts (gitopsGuardrails/charts/fetch) fills the cache once, and an
// untrusted workspace fetches nothing. The Helm repository is Python's http.server on 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClustersRequest, FetchChartsRequest } from '../../server/src/protocol';
import { TestClient, tempRepo } from '../helpers/lsp-client';
import { serveFolder, writeHelmRepository, type RunningServer } from '../helpers/charts';

let served: string;
let repository: RunningServer;

before(async () => {
  served = mkdtempSync(path.join(os.tmpdir(), 'gg-lsp-charts-'));
  writeHelmRepository(served, [{ chart: { name: 'fixture-app', version: '1.2.3', values: 'replicaCount: 1\n' } }]);
  repository = await serveFolder(served);
  // No user Helm cache: only what these tests fetch is found.
  process.env.HELM_CACHE_HOME = path.join(served, 'no-helm-cache');
  process.env.HELM_REPOSITORY_CONFIG = path.join(served, 'no-repositories.yaml');
  delete process.env.GITOPS_GUARDRAILS_CACHE_DIR;
});

after(async () => {
  await repository?.stop();
  rmSync(served, { recursive: true, force: true });
});

function fixtureRepo(): string {
  return tempRepo({
    'apps/fixture-app.yaml':
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: fixture\n  namespace: apps\nspec:\n  interval: 1h\n  url: ${repository.url}\n---\n` +
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: fixture-app\n  namespace: apps\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: fixture-app\n      version: "^1"\n      sourceRef:\n        kind: HelmRepository\n        name: fixture\n',
  });
}

async function withServer(options: Record<string, unknown>, body: (client: TestClient, cache: string) => Promise<void>): Promise<void> {
  const root = fixtureRepo();
  const cache = mkdtempSync(path.join(os.tmpdir(), 'gg-lsp-chart-cache-'));
  const client = await TestClient.start(root, {}, { chartCacheDir: cache, ...options });
  try {
    await body(client, cache);
  } finally {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

const ASK = (port: number) => `GitOps Guardrails can fetch 1 Helm chart from 127.0.0.1:${port} to check HelmRelease values against them. Fetch now?`;

test('ask (the default): one notification names the host; dismissed, nothing is fetched', async () => {
  // VS Code sends the charts section with its defaults (fetch: ask unset = ask).
  await withServer({ charts: {} }, async (client, cache) => {
    // The ask is sent right after indexing (modelChanged), before the server answers any request made after it.
    await client.waitForModelChange();
    await client.connection.sendRequest(ClustersRequest);
    assert.deepEqual(client.messageRequests, [{ type: 3, message: ASK(repository.port), actions: [{ title: 'Fetch Charts' }, { title: 'Not Now' }] }]);
    assert.deepEqual(readdirSync(cache).filter((name) => name !== 'parse-v1' && name !== 'results-v1'), []);
  });
});

test('ask, answered Fetch Charts: the chart is fetched into the cache', async () => {
  await withServer({ charts: {} }, async (client, cache) => {
    client.answerMessage = () => 'Fetch Charts';
    await client.waitForModelChange();
    await client.connection.sendRequest(ClustersRequest);
    assert.equal(client.messageRequests.length, 1);
    // A second fetch waits for the first, then finds the chart cached.
    const result = await client.connection.sendRequest(FetchChartsRequest);
    assert.equal(result.fetched + result.cached, 1, JSON.stringify(result));
    const [entry] = readdirSync(path.join(cache, 'charts-v1'));
    assert.ok(existsSync(path.join(cache, 'charts-v1', entry!, '1.2.3.tgz')));
  });
});

test('a client that sends no charts settings (another editor) is never asked, and nothing is fetched', async () => {
  await withServer({}, async (client, cache) => {
    await client.waitForModelChange();
    await client.connection.sendRequest(ClustersRequest);
    assert.deepEqual(client.messageRequests, []);
    assert.deepEqual(readdirSync(cache).filter((name) => name !== 'parse-v1' && name !== 'results-v1'), []);
  });
});

test('Fetch Charts fetches once; run again, it fetches nothing', async () => {
  await withServer({ charts: { fetch: 'never' } }, async (client) => {
    const first = await client.connection.sendRequest(FetchChartsRequest);
    assert.deepEqual(first, { fetched: 1, cached: 0, failed: 0, lines: [`fetched  fixture-app 1.2.3 from ${repository.url}/fixture-app-1.2.3.tgz`] });
    const second = await client.connection.sendRequest(FetchChartsRequest);
    assert.deepEqual(second, { fetched: 0, cached: 1, failed: 0, lines: [`cached   fixture-app 1.2.3 (${repository.url})`] });
    assert.deepEqual(client.messageRequests, [], '"never" asked anyway');
  });
});

test('always: the chart is fetched after indexing without asking', async () => {
  await withServer({ charts: { fetch: 'always' } }, async (client, cache) => {
    const folder = path.join(cache, 'charts-v1');
    const deadline = Date.now() + 30_000;
    while (!(existsSync(folder) && readdirSync(folder).some((entry) => existsSync(path.join(folder, entry, '1.2.3.tgz'))))) {
      if (Date.now() > deadline) throw new Error(`nothing fetched within 30 s; server log: ${client.stderr.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(client.messageRequests, []);
  });
});

test('untrusted (Restricted Mode): no notification, and Fetch Charts refuses', async () => {
  await withServer({ workspaceTrusted: false, charts: { fetch: 'always' } }, async (client, cache) => {
    const result = await client.connection.sendRequest(FetchChartsRequest);
    assert.deepEqual(result, { refused: 'Charts are not fetched in Restricted Mode: trust the workspace to fetch them.', fetched: 0, cached: 0, failed: 0, lines: [] });
    assert.deepEqual(client.messageRequests, []);
    assert.deepEqual(readdirSync(cache).filter((name) => name !== 'parse-v1' && name !== 'results-v1'), []);
  });
});
