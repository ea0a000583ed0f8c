import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import { copyExample, range, tempRepo, TestClient } from '../helpers/lsp-client';
import { APP_FILES } from './fixture-app';

const INFRA = `# The infrastructure first.
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra
  namespace: flux-system
spec:
  path: ./shared
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

let layered: TestClient;
let app: TestClient;

before(async () => {
  layered = await TestClient.start(copyExample());
  app = await TestClient.start(tempRepo({ ...APP_FILES, 'clusters/prod/infra.yaml': INFRA, 'shared/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' }), {
    codeLens: { refreshSupport: true },
  });
  await Promise.all([layered.waitForModelChange(), app.waitForModelChange()]);
});

after(() => Promise.all([layered, app].map((client) => client?.close())));

async function lensesOf(client: TestClient, file: string) {
  const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri(file) } })) as CodeLens[] | null;
  // The `rendered ▸` lenses have their own tests (render.test.ts).
  return (lenses ?? []).filter((l) => !l.command?.title.startsWith('rendered ▸')).map((l) => [l.range, l.command?.title]);
}

test('each Flux Kustomization shows its resources, components and clusters', async () => {
  assert.deepEqual(await lensesOf(app, 'clusters/prod/apps.yaml'), [[range(0, 0, 0, 0), 'applies 6 resources · 1 component · prod']]);
  // The lens sits on the object's first line, below the comment that opens the file.
  assert.deepEqual(await lensesOf(app, 'clusters/prod/infra.yaml'), [[range(1, 0, 1, 0), 'applies 1 resource · 1 component · prod']]);
  // The root applies the cluster folder: its own file and the Kustomizations, no component.
  assert.deepEqual(await lensesOf(app, 'clusters/prod/flux-system/gotk-sync.yaml'), [[range(10, 0, 10, 0), 'applies 6 resources · 0 components · prod']]);
  const core = await lensesOf(layered, 'clusters/us-west/core.yaml');
  assert.deepEqual(core.map(([r]) => r), [range(0, 0, 0, 0), range(14, 0, 14, 0), range(33, 0, 33, 0)]);
  assert.match(String(core[1][1]), /^applies \d+ resources? · 1 component · us-west$/);
});

test('a Kustomization whose path is missing says so', async () => {
  assert.deepEqual(await lensesOf(layered, 'clusters/staging/apps.yaml'), [[range(0, 0, 0, 0), 'path not found · staging']]);
});

test('each Secret shows whether it is SOPS-encrypted', async () => {
  assert.deepEqual(await lensesOf(app, 'clusters/prod/sops-age.yaml'), [[range(0, 0, 0, 0), 'SOPS-encrypted']]);
  assert.deepEqual(await lensesOf(app, 'apps/values.yaml'), [[range(8, 0, 8, 0), 'not encrypted']]);
});

test('after a change elsewhere the client is asked to refresh its lenses, which show the new model', async () => {
  const version = app.modelVersions[app.modelVersions.length - 1];
  const refreshes = app.codeLensRefreshes;
  await app.open('apps/kustomization.yaml', `${APP_FILES['apps/kustomization.yaml']}  - extra.yaml\n`);
  await app.open('apps/extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n');
  await app.waitForModelChange(version);
  // The refresh request follows the notification on the same connection.
  for (let i = 0; i < 50 && app.codeLensRefreshes === refreshes; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(app.codeLensRefreshes > refreshes);
  assert.deepEqual(await lensesOf(app, 'clusters/prod/apps.yaml'), [[range(0, 0, 0, 0), 'applies 7 resources · 1 component · prod']]);
});
