import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PrepareRenameRequest, RenameRequest, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { copyExample, range, tempRepo, TestClient } from '../helpers/lsp-client';
import { APP_FILES } from './fixture-app';

let layered: TestClient;
let app: TestClient;

before(async () => {
  layered = await TestClient.start(copyExample());
  app = await TestClient.start(tempRepo(APP_FILES));
  await Promise.all([layered.waitForModelChange(), app.waitForModelChange()]);
});

after(() => Promise.all([layered, app].map((client) => client?.close())));

function prepare(client: TestClient, file: string, line: number, character: number) {
  return client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: client.uri(file) }, position: { line, character } });
}

async function renameAt(client: TestClient, file: string, line: number, character: number, newName: string) {
  const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: client.uri(file) }, position: { line, character }, newName })) as WorkspaceEdit;
  return Object.entries(edit.changes ?? {}).map(([uri, edits]) => [uri.slice(client.uri('').length + 1), (edits as TextEdit[]).map((e) => [e.range, e.newText])]);
}

test('prepareRename accepts a Kustomization name and a dependsOn entry naming one', async () => {
  assert.deepEqual(await prepare(layered, 'clusters/staging/services.yaml', 3, 10), { range: range(3, 8, 3, 16), placeholder: 'postgres' });
  assert.deepEqual(await prepare(layered, 'clusters/staging/apps.yaml', 8, 14), { range: range(8, 12, 8, 20), placeholder: 'postgres' });
});

test('prepareRename refuses other names and unknown dependencies', async () => {
  assert.equal(await prepare(layered, 'environments/core/cert-manager/namespace.yaml', 3, 9), null);
  assert.equal(await prepare(layered, 'clusters/us-west/apps.yaml', 9, 14), null);
  assert.equal(await prepare(layered, 'clusters/staging/apps.yaml', 6, 4), null);
});

test('renaming a Kustomization renames every dependsOn of its cluster that names it', async () => {
  assert.deepEqual(await renameAt(layered, 'clusters/staging/apps.yaml', 8, 14, 'database'), [
    ['clusters/staging/apps.yaml', [[range(8, 12, 8, 20), 'database']]],
    ['clusters/staging/services.yaml', [[range(3, 8, 3, 16), 'database']]],
  ]);
  assert.deepEqual(await renameAt(layered, 'clusters/us-west/core.yaml', 3, 8, 'certs'), [
    ['clusters/us-west/core.yaml', [[range(3, 8, 3, 20), 'certs'], [range(22, 12, 22, 24), 'certs']]],
  ]);
});

test('renaming a HelmRelease renames the dependsOn entries naming it', async () => {
  assert.deepEqual(await renameAt(app, 'apps/redis.yaml', 3, 9, 'cache'), [
    ['apps/redis.yaml', [[range(3, 8, 3, 13), 'cache']]],
    ['apps/release.yaml', [[range(7, 12, 7, 17), 'cache']]],
  ]);
});

test('a name Kubernetes would refuse is an error', async () => {
  await assert.rejects(renameAt(layered, 'clusters/staging/services.yaml', 3, 10, 'Bad_Name'), /"Bad_Name" is not a valid Kubernetes object name/);
});
