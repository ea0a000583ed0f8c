// HelmRelease values through a real LSP connection: findings from the chart's schema and
// values.yaml, hover on spec.chart (resolved or why not), and hover and completion inside
// spec.values from the chart, while the document parses and while it does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionRequest, HoverRequest, type CompletionItem, type CompletionList, type Hover, type MarkupContent, type Position } from 'vscode-languageserver-protocol/node';
import { fixtureChart, helmRelease } from '../helpers/chartRepos';
import { cursor, range, tempRepo, TestClient } from '../helpers/lsp-client';

let client: TestClient;

const RELEASE = helmRelease('web', { path: './charts/web' }, 'replicaCount: two\nimage:\n  tag: "2.0"\n');

before(async () => {
  client = await TestClient.ready(
    tempRepo({
      ...fixtureChart('web', 'charts/web'),
      ...fixtureChart('plain', 'charts/plain'),
      'apps/web.yaml': RELEASE,
      'apps/other.yaml': helmRelease('other', { chart: 'other', repository: 'nowhere' }),
    }),
  );
});

after(() => client?.close());

async function hoverAt(file: string, position: Position) {
  const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(file) }, position })) as Hover | null;
  return hover && { value: (hover.contents as MarkupContent).value, range: hover.range };
}

async function complete(file: string, marked: string): Promise<CompletionItem[]> {
  const { text, position } = cursor(marked);
  await client.open(file, text);
  const result = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(file) }, position })) as CompletionItem[] | CompletionList | null;
  return Array.isArray(result) ? result : (result?.items ?? []);
}

test('the chart schema finding is published at the exact node', async () => {
  const diagnostics = await client.waitForDiagnostics('apps/web.yaml', (d) => d.some((x) => x.code === 'helm/invalid-values'));
  const mine = diagnostics.filter((d) => d.code === 'helm/invalid-values');
  assert.deepEqual(mine.map((d) => [d.range, d.message]), [[range(15, 18, 15, 21), '"replicaCount" must be an integer, got string (chart web 1.4.0)']]);
});

test('hover on spec.chart says which chart, which version and where it was found; or why not', async () => {
  const resolved = await hoverAt('apps/web.yaml', { line: 7, character: 3 });
  assert.deepEqual(resolved, {
    value: '**Chart** `web` 1.4.0\n\nFrom this repository: `charts/web`\n\nSource: GitRepository\n\nValues are checked against values.schema.json.\n\nCRDs: `charts/web/crds/widgets.yaml`',
    range: range(7, 2, 7, 7),
  });
  const unresolved = await hoverAt('apps/other.yaml', { line: 9, character: 14 });
  assert.equal(unresolved?.value, '**Chart** unresolved: its source HelmRepository apps/nowhere is not defined in this repository.\n\nIts values are not checked.');
});

test('hover inside spec.values shows the type, allowed values, default and the values.yaml comment', async () => {
  const hover = await hoverAt('apps/web.yaml', { line: 17, character: 7 });
  assert.deepEqual(hover, { value: '`spec.values.image.tag` `<string>`\n\nDefault: `""`\n\nImage tag; defaults to the chart\'s appVersion.', range: range(17, 6, 17, 9) });
});

test('completion inside spec.values offers the chart keys with their defaults, also while the document does not parse', async () => {
  const items = await complete('apps/web.yaml', RELEASE.replace('image:\n      tag: "2.0"\n', 'image:\n      tag: "2.0"\n      pu$0\n'));
  const pull = items.find((i) => i.label === 'pullPolicy');
  assert.ok(pull, `no pullPolicy in ${items.map((i) => i.label).join(', ')}`);
  assert.deepEqual((pull.documentation as MarkupContent).value, 'Allowed values: `Always` · `IfNotPresent` · `Never`\n\nDefault: `IfNotPresent`\n\nKubernetes imagePullPolicy.');
  assert.ok(!items.some((i) => i.label === 'tag'), 'tag is written already');
  const top = await complete('apps/web.yaml', RELEASE.replace('replicaCount: two\n', 'replicaCount: two\n    $0\n'));
  assert.deepEqual(top.filter((i) => ['service', 'resources', 'podAnnotations', 'crds'].includes(String(i.label))).map((i) => i.label).sort(), ['crds', 'podAnnotations', 'resources', 'service']);
  const enumValues = await complete('apps/web.yaml', RELEASE.replace('replicaCount: two\n', 'replicaCount: two\n    service:\n      type: $0\n'));
  assert.deepEqual(enumValues.map((i) => i.label), ['ClusterIP', 'NodePort', 'LoadBalancer']);
});

test('completion in a chart without a schema comes from values.yaml', async () => {
  const items = await complete('apps/worker.yaml', helmRelease('worker', { path: './charts/plain' }, 'worker:\n  $0\n'));
  const concurrency = items.find((i) => i.label === 'concurrency');
  assert.ok(concurrency, `no concurrency in ${items.map((i) => i.label).join(', ')}`);
  assert.equal(concurrency.detail, 'integer');
  assert.equal((concurrency.documentation as MarkupContent).value, 'Default: `4`\n\nJobs run at once.');
});
