import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentSymbolRequest, SymbolKind, WorkspaceSymbolRequest, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver-protocol/node';
import { copyExample, range, TestClient } from '../helpers/lsp-client';

let client: TestClient;

before(async () => {
  client = await TestClient.ready(copyExample());
});

after(() => client?.close());

test('one document symbol per YAML document, named Kind/name, selecting metadata.name', async () => {
  const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: client.uri('clusters/us-west/core.yaml') } })) as DocumentSymbol[];
  assert.deepEqual(symbols, [
    { name: 'Kustomization/cert-manager', detail: 'flux-system', kind: SymbolKind.Module, range: range(0, 0, 13, 0), selectionRange: range(3, 8, 3, 20) },
    { name: 'Kustomization/cert-manager-issuers', detail: 'flux-system', kind: SymbolKind.Module, range: range(13, 0, 32, 0), selectionRange: range(17, 8, 17, 28) },
    { name: 'Kustomization/cloudnative-pg', detail: 'flux-system', kind: SymbolKind.Module, range: range(32, 0, 46, 0), selectionRange: range(36, 8, 36, 22) },
  ]);
  const kustomization = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: client.uri('environments/apps/podinfo/kustomization.yaml') } })) as DocumentSymbol[];
  assert.deepEqual(kustomization.map((s) => [s.name, s.selectionRange]), [['Kustomization', range(1, 6, 1, 19)]]);
});

test('workspace symbols match the query against Kind/name', async () => {
  const symbols = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'namespace/p' })) as SymbolInformation[];
  assert.deepEqual(
    symbols.map((s) => [s.name, s.kind, s.location.uri.slice(client.uri('').length + 1), s.location.range]),
    [
      ['Namespace/podinfo', SymbolKind.Namespace, 'environments/apps/podinfo/namespace.yaml', range(3, 8, 3, 15)],
      ['Namespace/postgres', SymbolKind.Namespace, 'environments/services/postgres/namespace.yaml', range(3, 8, 3, 16)],
    ],
  );
  const releases = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'HelmRelease/C' })) as SymbolInformation[];
  assert.deepEqual(releases.map((s) => [s.name, s.containerName]), [['HelmRelease/cert-manager', 'cert-manager'], ['HelmRelease/cloudnative-pg', 'cnpg-system']]);
});
