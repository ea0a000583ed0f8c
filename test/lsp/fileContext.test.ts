import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FileContextRequest } from '../../server/src/protocol';
import { copyExample, tempRepo, TestClient } from '../helpers/lsp-client';
import { APP_FILES } from './fixture-app';

let layered: TestClient;
let app: TestClient;

before(async () => {
  layered = await TestClient.start(copyExample());
  app = await TestClient.start(tempRepo(APP_FILES));
  await Promise.all([layered.waitForModelChange(), app.waitForModelChange()]);
});

after(() => Promise.all([layered, app].map((client) => client?.close())));

const contextOf = (client: TestClient, file: string) => client.connection.sendRequest(FileContextRequest, { uri: client.uri(file) });

test('a file: the clusters that apply it, its layer and component', async () => {
  assert.deepEqual(await contextOf(layered, 'environments/apps/podinfo/deployment.yaml'), { clusters: ['us-west'], layer: 'apps', component: 'podinfo', encryption: 'none' });
  assert.deepEqual(await contextOf(layered, 'environments/core/cert-manager/helmrelease.yaml'), { clusters: ['staging', 'us-west'], layer: 'core', component: 'cert-manager', encryption: 'none' });
  assert.deepEqual(await contextOf(layered, 'environments/apps/podinfo/pdb.yaml'), { clusters: [], layer: 'apps', component: 'podinfo', encryption: 'none' });
  assert.deepEqual(await contextOf(app, 'clusters/prod/apps.yaml'), { clusters: ['prod'], encryption: 'none' });
});

test('the SOPS state of a file', async () => {
  assert.deepEqual(await contextOf(app, 'clusters/prod/sops-age.yaml'), { clusters: ['prod'], encryption: 'encrypted' });
  assert.deepEqual(await contextOf(app, 'apps/values.yaml'), { clusters: ['prod'], component: 'apps', encryption: 'plaintext-secret' });
});
