import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ReferencesRequest, type Location } from 'vscode-languageserver-protocol/node';
import { copyExample, range, tempRepo, TestClient } from '../helpers/lsp-client';
import { APP_FILES } from './fixture-app';

let client: TestClient;
let app: TestClient;

before(async () => {
  client = await TestClient.start(copyExample());
  app = await TestClient.start(tempRepo(APP_FILES));
  await Promise.all([client.waitForModelChange(), app.waitForModelChange()]);
});

after(async () => {
  for (const c of [client, app]) {
    await c?.stop();
    if (c) rmSync(c.root, { recursive: true, force: true });
  }
});

async function referencesAt(file: string, line: number, character: number, includeDeclaration: boolean, on = client) {
  const result = (await on.connection.sendRequest(ReferencesRequest.type, {
    textDocument: { uri: on.uri(file) },
    position: { line, character },
    context: { includeDeclaration },
  })) as Location[] | null;
  return (result ?? []).map((l) => ({ file: l.uri.slice(on.uri('').length + 1), range: l.range }));
}

test('references of a Kustomization are the dependsOn entries of its cluster that name it', async () => {
  assert.deepEqual(await referencesAt('clusters/staging/services.yaml', 3, 10, true), [
    { file: 'clusters/staging/apps.yaml', range: range(8, 12, 8, 20) },
    { file: 'clusters/staging/services.yaml', range: range(3, 8, 3, 16) },
  ]);
  assert.deepEqual(await referencesAt('clusters/us-west/core.yaml', 3, 8, false), [{ file: 'clusters/us-west/core.yaml', range: range(22, 12, 22, 24) }]);
});

test('references from a dependsOn entry include the declaration when asked', async () => {
  assert.deepEqual(await referencesAt('clusters/staging/core.yaml', 22, 16, true), [
    { file: 'clusters/staging/core.yaml', range: range(3, 8, 3, 20) },
    { file: 'clusters/staging/core.yaml', range: range(22, 12, 22, 24) },
  ]);
});

test('references of a Namespace are the namespace names that name it', async () => {
  assert.deepEqual(await referencesAt('apps/namespace.yaml', 3, 9, true, app), [
    { file: 'apps/kustomization.yaml', range: range(2, 11, 2, 14) },
    { file: 'apps/namespace.yaml', range: range(3, 8, 3, 11) },
    { file: 'apps/redis.yaml', range: range(4, 13, 4, 16) },
    { file: 'apps/release.yaml', range: range(4, 13, 4, 16) },
    { file: 'apps/repository.yaml', range: range(4, 13, 4, 16) },
  ]);
});

test('references of a Secret or ConfigMap are the secretRefs, valuesFrom and substituteFrom naming it', async () => {
  assert.deepEqual(await referencesAt('apps/values.yaml', 11, 10, false, app), [{ file: 'apps/release.yaml', range: range(15, 12, 15, 22) }]);
  assert.deepEqual(await referencesAt('clusters/prod/vars.yaml', 3, 10, false, app), [{ file: 'clusters/prod/apps.yaml', range: range(17, 14, 17, 26) }]);
  assert.deepEqual(await referencesAt('clusters/prod/sops-age.yaml', 3, 10, false, app), [{ file: 'clusters/prod/apps.yaml', range: range(13, 12, 13, 20) }]);
});

test('references of a source are the sourceRefs that name it', async () => {
  const declared = client.locate('environments/core/cert-manager/helmrepository.yaml', 'jetstack');
  assert.deepEqual(await referencesAt('environments/core/cert-manager/helmrepository.yaml', declared.start.line, declared.start.character, false), [
    { file: 'environments/core/cert-manager/helmrelease.yaml', range: client.locate('environments/core/cert-manager/helmrelease.yaml', 'jetstack') },
  ]);
});

test('a position that names nothing has no references', async () => {
  assert.deepEqual(await referencesAt('clusters/staging/services.yaml', 6, 4, true), []);
});
