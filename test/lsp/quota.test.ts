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
    [2, 'staging: cpu 700m/800m · memory 512Mi/2Gi · pods 3/10'],
    [2, 'us-west: cpu 1.4/800m ⚠ · memory 1Gi/2Gi · pods 5/10'],
  ]);
});

test('hovering a Namespace shows usage against the hard limits, per cluster, with the arithmetic', async () => {
  const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri('environments/services/postgres/namespace.yaml') }, position: { line: 3, character: 9 } })) as Hover;
  const text = (hover.contents as MarkupContent).value;
  assert.ok(text.startsWith('**ResourceQuota postgres-budget** · namespace `postgres` · cluster `staging`'), text);
  assert.ok(text.includes('| requests.cpu | 1.4 ⚠ | 800m |'), text);
  assert.ok(text.endsWith('- over budget: requests.cpu 1.4 needed (4 × 350m pgbouncer) > hard 800m'), text);
});
