import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DefinitionRequest, type Location } from 'vscode-languageserver-protocol/node';
import { copyExample, range, tempRepo, TestClient } from '../helpers/lsp-client';
import { APP_FILES } from './fixture-app';

let app: TestClient;
let layered: TestClient;

before(async () => {
  app = await TestClient.start(tempRepo(APP_FILES));
  layered = await TestClient.start(copyExample());
  await Promise.all([app.waitForModelChange(), layered.waitForModelChange()]);
});

after(() => Promise.all([app, layered].map((client) => client?.close())));

async function definitionAt(client: TestClient, file: string, line: number, character: number): Promise<Array<{ file: string; range: Location['range'] }>> {
  const result = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: client.uri(file) }, position: { line, character } })) as Location[] | null;
  return (result ?? []).map((l) => ({ file: l.uri.slice(client.uri('').length + 1), range: l.range }));
}

test('a HelmRelease dependsOn name leads to the HelmRelease it names', async () => {
  assert.deepEqual(await definitionAt(app, 'apps/release.yaml', 7, 14), [{ file: 'apps/redis.yaml', range: range(3, 8, 3, 13) }]);
});

test('a Kustomization dependsOn leads to the Kustomization of its own cluster, not the twin in another cluster', async () => {
  assert.deepEqual(await definitionAt(layered, 'clusters/staging/apps.yaml', 8, 14), [{ file: 'clusters/staging/services.yaml', range: range(3, 8, 3, 16) }]);
  assert.deepEqual(await definitionAt(layered, 'clusters/us-west/core.yaml', 22, 20), [{ file: 'clusters/us-west/core.yaml', range: range(3, 8, 3, 20) }]);
});

test('sourceRef and chartRef lead to the source object', async () => {
  assert.deepEqual(await definitionAt(app, 'clusters/prod/apps.yaml', 9, 12), [{ file: 'clusters/prod/flux-system/gotk-sync.yaml', range: range(3, 8, 3, 19) }]);
  assert.deepEqual(await definitionAt(app, 'apps/release.yaml', 10, 17), [{ file: 'apps/repository.yaml', range: range(3, 8, 3, 15) }]);
  const chartSource = layered.locate('environments/core/cert-manager/helmrelease.yaml', 'jetstack');
  assert.deepEqual(await definitionAt(layered, 'environments/core/cert-manager/helmrelease.yaml', chartSource.start.line, chartSource.start.character + 1), [
    { file: 'environments/core/cert-manager/helmrepository.yaml', range: layered.locate('environments/core/cert-manager/helmrepository.yaml', 'jetstack') },
  ]);
});

test('secretRef, substituteFrom and valuesFrom lead to the Secret or ConfigMap in the namespace', async () => {
  assert.deepEqual(await definitionAt(app, 'clusters/prod/apps.yaml', 13, 12), [{ file: 'clusters/prod/sops-age.yaml', range: range(3, 8, 3, 16) }]);
  assert.deepEqual(await definitionAt(app, 'clusters/prod/apps.yaml', 17, 20), [{ file: 'clusters/prod/vars.yaml', range: range(3, 8, 3, 20) }]);
  assert.deepEqual(await definitionAt(app, 'apps/release.yaml', 13, 12), [{ file: 'apps/values.yaml', range: range(3, 8, 3, 18) }]);
  assert.deepEqual(await definitionAt(app, 'apps/release.yaml', 15, 22), [{ file: 'apps/values.yaml', range: range(11, 8, 11, 18) }]);
});

test('a namespace name leads to the Namespace object', async () => {
  assert.deepEqual(await definitionAt(app, 'apps/release.yaml', 4, 13), [{ file: 'apps/namespace.yaml', range: range(3, 8, 3, 11) }]);
  assert.deepEqual(await definitionAt(app, 'apps/kustomization.yaml', 2, 12), [{ file: 'apps/namespace.yaml', range: range(3, 8, 3, 11) }]);
  const written = layered.locate('environments/core/cert-manager/helmrepository.yaml', 'namespace: cert-manager');
  assert.deepEqual(await definitionAt(layered, 'environments/core/cert-manager/helmrepository.yaml', written.start.line, written.end.character), [
    { file: 'environments/core/cert-manager/namespace.yaml', range: layered.locate('environments/core/cert-manager/namespace.yaml', 'cert-manager') },
  ]);
});

test('names that refer to nothing, and other positions, have no definition', async () => {
  assert.deepEqual(await definitionAt(layered, 'clusters/us-west/apps.yaml', 9, 14), []);
  assert.deepEqual(await definitionAt(layered, 'clusters/us-west/apps.yaml', 6, 4), []);
  assert.deepEqual(await definitionAt(app, 'apps/release.yaml', 12, 14), []);
});
