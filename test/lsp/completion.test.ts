import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionRequest, type CompletionItem, type CompletionList, type TextEdit } from 'vscode-languageserver-protocol/node';
import { yaml } from '../helpers/repo';
import { cursor, range, tempRepo, TestClient } from '../helpers/lsp-client';
import { APP_FILES } from './fixture-app';

let client: TestClient;

const EXTRA: Record<string, string> = {
  'clusters/prod/infra.yaml': yaml`
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: infra
      namespace: flux-system
    spec:
      path: ./infra
      sourceRef:
        kind: GitRepository
        name: flux-system
    ---
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: tenant-a
      namespace: tenants
    spec:
      path: ./infra
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  `,
  'infra/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: infra\n',
  'apps/hpa.yaml': 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n',
  'apps/overlays/prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../\n',
};

before(async () => {
  client = await TestClient.ready(tempRepo({ ...APP_FILES, ...EXTRA }));
});

after(() => client?.close());

/** Opens `file` with `marked` as its text and completes at the `$0` marker. */
async function complete(file: string, marked: string): Promise<CompletionItem[]> {
  const { text, position } = cursor(marked);
  await client.open(file, text);
  const result = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(file) }, position })) as CompletionItem[] | CompletionList | null;
  return Array.isArray(result) ? result : result?.items ?? [];
}

const edits = (items: CompletionItem[]) => items.map((i) => [i.label, (i.textEdit as TextEdit).newText, (i.textEdit as TextEdit).range]);

const KS_HEAD = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n';

test('dependsOn names offer the Kustomizations of the cluster, adding the namespace when it differs, never the parent that applies the file', async () => {
  const items = await complete('clusters/prod/apps.yaml', `${KS_HEAD}  dependsOn:\n    - name: $0\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`);
  // flux-system applies clusters/prod/apps.yaml: depending on it would wait for itself.
  assert.deepEqual(edits(items), [
    ['infra', 'infra', range(7, 12, 7, 12)],
    ['tenant-a', 'tenant-a\n      namespace: tenants', range(7, 12, 7, 12)],
  ]);
  assert.equal(items[1].detail, 'Kustomization tenants/tenant-a');
});

test('dependsOn names already listed are not offered again', async () => {
  const items = await complete('clusters/prod/apps.yaml', `${KS_HEAD}  dependsOn:\n    - name: infra\n    - name: $0\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`);
  assert.deepEqual(items.map((i) => i.label), ['tenant-a']);
});

test('an empty dependsOn item completes to a whole name entry', async () => {
  const items = await complete('clusters/prod/apps.yaml', `${KS_HEAD}  dependsOn:\n    - in$0\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`);
  assert.deepEqual(edits(items)[0], ['infra', 'name: infra', range(7, 6, 7, 8)]);
});

test('a HelmRelease dependsOn offers HelmReleases, not itself', async () => {
  const items = await complete('apps/release.yaml', APP_FILES['apps/release.yaml'].replace('- name: redis', '- name: r$0'));
  assert.deepEqual(edits(items), [['redis', 'redis', range(7, 12, 7, 13)]]);
  assert.equal(items[0].detail, 'HelmRelease web/redis');
});

test('sourceRef kinds and names', async () => {
  const kinds = await complete('clusters/prod/apps.yaml', `${KS_HEAD}  path: ./apps\n  sourceRef:\n    kind: $0\n    name: flux-system\n`);
  assert.deepEqual(kinds.map((i) => i.label), ['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact']);
  const names = await complete('clusters/prod/apps.yaml', `${KS_HEAD}  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: fl$0\n`);
  assert.deepEqual(edits(names), [['flux-system', 'flux-system', range(9, 10, 9, 12)]]);
  const chartKinds = await complete('apps/redis.yaml', APP_FILES['apps/redis.yaml'].replace('kind: OCIRepository', 'kind: $0'));
  assert.deepEqual(chartKinds.map((i) => i.label), ['OCIRepository', 'HelmChart', 'ExternalArtifact']);
  const charts = await complete('apps/release.yaml', APP_FILES['apps/release.yaml'].replace('    name: podinfo', '    name: $0'));
  assert.deepEqual(edits(charts), [['podinfo', 'podinfo', range(10, 10, 10, 10)]]);
});

test('namespaces: Namespace objects and the namespaces of Flux objects', async () => {
  const items = await complete('apps/redis.yaml', APP_FILES['apps/redis.yaml'].replace('namespace: web', 'namespace: $0'));
  assert.deepEqual(edits(items), [
    ['flux-system', 'flux-system', range(4, 13, 4, 13)],
    ['tenants', 'tenants', range(4, 13, 4, 13)],
    ['web', 'web', range(4, 13, 4, 13)],
  ]);
  assert.equal(items[2].detail, 'Namespace web');
  const target = await complete('clusters/prod/apps.yaml', `${KS_HEAD}  targetNamespace: w$0\n  path: ./apps\n`);
  assert.deepEqual(edits(target)[2], ['web', 'web', range(6, 19, 6, 20)]);
});

test('completion still works while another part of the document does not parse', async () => {
  const items = await complete('clusters/prod/apps.yaml', `${KS_HEAD}  dependsOn:\n    - name: $0\n  path: "./apps\n`);
  assert.deepEqual(items.map((i) => i.label), ['infra', 'tenant-a']);
});

test('secretRef, configMapRef and valuesFrom offer the Secrets or ConfigMaps of the namespace', async () => {
  const secrets = await complete('clusters/prod/apps.yaml', APP_FILES['clusters/prod/apps.yaml'].replace('name: sops-age', 'name: $0'));
  assert.deepEqual(edits(secrets), [['sops-age', 'sops-age', range(13, 12, 13, 12)]]);
  const values = await complete('apps/release.yaml', APP_FILES['apps/release.yaml'].replace('name: web-values', 'name: w$0'));
  // infra's ConfigMap has no namespace the model knows, so it may be anywhere.
  assert.deepEqual(edits(values), [
    ['infra', 'infra', range(13, 12, 13, 13)],
    ['web-values', 'web-values', range(13, 12, 13, 13)],
  ]);
  assert.equal(values[0].detail, 'ConfigMap infra');
  assert.equal(values[1].detail, 'ConfigMap web/web-values');
});

test('spec.path offers the folders of the repository, replacing what is typed', async () => {
  const items = await complete('clusters/prod/apps.yaml', `${KS_HEAD}  path: ./a$0\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`);
  assert.deepEqual(
    items.map((i) => i.label),
    ['./apps', './apps/overlays', './apps/overlays/prod', './clusters', './clusters/prod', './clusters/prod/flux-system', './infra'],
  );
  assert.deepEqual((items[0].textEdit as TextEdit).range, range(6, 8, 6, 11));
});

test('kustomization resources offer files and folders not yet listed, relative to the kustomization', async () => {
  const base = APP_FILES['apps/kustomization.yaml'];
  const items = await complete('apps/kustomization.yaml', `${base}  - $0\n`);
  assert.deepEqual(edits(items), [
    ['hpa.yaml', 'hpa.yaml', range(9, 4, 9, 4)],
    ['../', '../', range(9, 4, 9, 4)],
    ['overlays', 'overlays', range(9, 4, 9, 4)],
  ]);
  const below = await complete('apps/kustomization.yaml', `${base}  - overlays/$0\n`);
  assert.deepEqual(edits(below), [['overlays/prod', 'overlays/prod', range(9, 4, 9, 13)]]);
});

test('no completion outside the places that name something', async () => {
  assert.deepEqual(await complete('apps/redis.yaml', APP_FILES['apps/redis.yaml'].replace('spec:', 'spec: $0')), []);
});
