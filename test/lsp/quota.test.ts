import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CodeLensRequest, HoverRequest, type CodeLens, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { copyExample, TestClient } from '../helpers/lsp-client';

let client: TestClient;
before(async () => {
  client = await TestClient.ready(copyExample());
});
after(() => client?.close());

test('a code lens above each ResourceQuota shows its namespace\'s usage per cluster', async () => {
  const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri('environments/services/postgres/resourcequota.yaml') } })) as CodeLens[];
  assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title]), [
    // pgbouncer and the 2 PostgreSQL pods CloudNativePG runs for Cluster shared.
    [2, 'staging: cpu 1.2/1.5 · memory 1536Mi/2Gi · pods 5/10'],
    [2, 'us-west: cpu 1.9/1.5 ⚠ · memory 2Gi/2Gi · pods 7/10'],
  ]);
});

test('hovering a Namespace shows usage against the hard limits, per cluster, with the arithmetic', async () => {
  const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri('environments/services/postgres/namespace.yaml') }, position: { line: 3, character: 9 } })) as Hover;
  const text = (hover.contents as MarkupContent).value;
  assert.ok(text.startsWith('**ResourceQuota postgres-budget** · namespace `postgres` · cluster `staging`'), text);
  assert.ok(text.includes('| requests.cpu | 1.9 ⚠ | 1.5 |'), text);
  assert.ok(text.includes('- over budget: requests.cpu 1.9 needed (2 × 250m shared + 4 × 350m pgbouncer) > hard 1.5'), text);
  assert.ok(text.endsWith('- shared: estimated from its Cluster: CloudNativePG runs spec.instances PostgreSQL pods of spec.resources'), text);
});
