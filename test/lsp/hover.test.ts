import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { yaml } from '../helpers/repo';
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

async function hoverAt(client: TestClient, file: string, line: number, character: number) {
  const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(file) }, position: { line, character } })) as Hover | null;
  return hover && { value: (hover.contents as MarkupContent).value, range: hover.range };
}

const APPS = '**Kustomization** `flux-system/apps`\n\nApplies `apps`: 6 resources · 1 component: apps\n\nClusters: prod';

test('a Flux Kustomization name or kind shows what it applies', async () => {
  assert.deepEqual(await hoverAt(app, 'clusters/prod/apps.yaml', 3, 9), { value: APPS, range: range(3, 8, 3, 12) });
  assert.deepEqual(await hoverAt(app, 'clusters/prod/apps.yaml', 1, 8), { value: APPS, range: range(1, 6, 1, 19) });
});

test('components are named with their layer', async () => {
  const hover = await hoverAt(layered, 'clusters/us-west/core.yaml', 17, 9);
  assert.match(hover!.value, /^\*\*Kustomization\*\* `flux-system\/cert-manager-issuers`\n\nApplies `environments\/core\/cert-manager\/issuers`: \d+ resources? · 1 component: cert-manager \(core\)\n\nClusters: us-west$/);
});

test('a Kustomization whose path is missing or unresolved says so', async () => {
  assert.deepEqual(await hoverAt(layered, 'clusters/staging/apps.yaml', 3, 9), {
    value: '**Kustomization** `flux-system/podinfo`\n\n`spec.path` `./environments/apps/podinfo/overlays/staging` does not exist in this repository.\n\nClusters: staging',
    range: range(3, 8, 3, 15),
  });
  await layered.open(
    'clusters/us-west/other.yaml',
    yaml`
      apiVersion: source.toolkit.fluxcd.io/v1
      kind: GitRepository
      metadata:
        name: other
        namespace: flux-system
      spec:
        url: https://example.com/other
        ref:
          branch: main
      ---
      apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: other
        namespace: flux-system
      spec:
        path: ./deploy
        sourceRef:
          kind: GitRepository
          name: other
    `,
  );
  assert.deepEqual(await hoverAt(layered, 'clusters/us-west/other.yaml', 13, 9), {
    value: '**Kustomization** `flux-system/other`\n\n`spec.path` is unresolved: its source GitRepository other is another repository or branch (https://example.com/other at main).\n\nClusters: us-west',
    range: range(13, 8, 13, 13),
  });
});

test('a dependsOn entry shows its target: file and its own dependencies', async () => {
  assert.deepEqual(await hoverAt(layered, 'clusters/staging/apps.yaml', 8, 14), {
    value: '**Kustomization** `flux-system/postgres`\n\n`clusters/staging/services.yaml` · depends on: cloudnative-pg',
    range: range(8, 12, 8, 20),
  });
  assert.deepEqual(await hoverAt(layered, 'clusters/us-west/apps.yaml', 9, 14), {
    value: 'No Kustomization `flux-system/postgress` in this repository.',
    range: range(9, 12, 9, 21),
  });
  assert.deepEqual(await hoverAt(app, 'apps/release.yaml', 7, 14), {
    value: '**HelmRelease** `web/redis`\n\n`apps/redis.yaml` · depends on: nothing',
    range: range(7, 12, 7, 17),
  });
});

test('other positions have no hover: a comment', async () => {
  assert.equal(await hoverAt(layered, 'clusters/us-west/apps.yaml', 8, 6), null);
});

test('an ENC[...] value shows its recipients and last-modified time, never a value', async () => {
  const hover = await hoverAt(app, 'clusters/prod/sops-age.yaml', 6, 20);
  assert.ok(hover);
  assert.equal(hover.value, [
    '**SOPS-encrypted str** (AES-256-GCM)',
    '',
    'Recipients:',
    '- age `age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw`',
    '',
    'Last modified 2025-01-01T00:00:00Z by sops 3.9.0',
  ].join('\n'));
  assert.deepEqual(hover.range, { start: { line: 6, character: 14 }, end: { line: 6, character: 65 } });
});
