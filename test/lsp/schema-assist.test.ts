// Schema assistance over a real LSP connection: hover shows a field's type, requiredness, allowed
// values and description; completion offers the fields allowed at the cursor and enum values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  CompletionItemTag,
  CompletionRequest,
  HoverRequest,
  InsertTextFormat,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type MarkupContent,
  type Position,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { yaml } from '../helpers/repo';
import { cursor, range, tempRepo, TestClient } from '../helpers/lsp-client';

const DEPLOYMENT = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    labels:
      app: web
  spec:
    selector:
      matchLabels:
        app: web
    template:
      metadata:
        labels:
          app: web
      spec:
        containers:
          - name: web
            image: nginx:1.27
            imagePullPolicy: IfNotPresent
`;

const FILES: Record<string, string> = {
  'clusters/prod/flux-system/gotk-sync.yaml': yaml`
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: GitRepository
    metadata:
      name: flux-system
      namespace: flux-system
    spec:
      url: ssh://git@example.com/platform/app-repo
      ref:
        branch: main
  `,
  'clusters/prod/apps.yaml': yaml`
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: apps
      namespace: flux-system
    spec:
      interval: 10m
      path: ./apps
      prune: true
      sourceRef:
        kind: GitRepository
        name: flux-system
  `,
  'clusters/prod/infra.yaml': yaml`
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: infra
      namespace: flux-system
    spec:
      interval: 10m
      path: ./apps
      prune: true
      sourceRef:
        kind: GitRepository
        name: flux-system
  `,
  'apps/kustomization.yaml': yaml`
    apiVersion: kustomize.config.k8s.io/v1beta1
    kind: Kustomization
    resources:
      - deployment.yaml
      - certificate.yaml
    patches:
      - path: replicas.yaml
  `,
  'apps/deployment.yaml': DEPLOYMENT,
  'apps/replicas.yaml': yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 3
  `,
  // A kind without any schema (cert-manager's come from the bundled CRD snapshot).
  'apps/certificate.yaml': yaml`
    apiVersion: cilium.io/v2
    kind: CiliumNetworkPolicy
    metadata:
      name: web
    spec:
      endpointSelector: {}
  `,
};

let client: TestClient;

before(async () => {
  client = await TestClient.start(tempRepo(FILES));
  await client.waitForModelChange();
});

after(async () => {
  await client?.stop();
  if (client) rmSync(client.root, { recursive: true, force: true });
});

async function hoverAt(file: string, position: Position) {
  const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(file) }, position })) as Hover | null;
  return hover && { value: (hover.contents as MarkupContent).value, range: hover.range };
}

/** Opens `file` with `marked` as its text and completes at the `$0` marker. */
async function complete(file: string, marked: string, triggerCharacter?: string): Promise<CompletionItem[]> {
  const { text, position } = cursor(marked);
  await client.open(file, text);
  const context = triggerCharacter ? { triggerKind: 2 as const, triggerCharacter } : undefined;
  const result = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(file) }, position, context })) as CompletionItem[] | CompletionList | null;
  return Array.isArray(result) ? result : (result?.items ?? []);
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const edit = (items: CompletionItem[], label: string): [string, unknown] => {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `${label} is offered; got ${labels(items).join(', ')}`);
  return [(item.textEdit as TextEdit).newText, (item.textEdit as TextEdit).range];
};
/** Labels in the order the editor shows them (it sorts by sortText, then label). */
const shown = (items: CompletionItem[]) =>
  [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);

const IMAGE_PULL_POLICY =
  '`spec.template.spec.containers[].imagePullPolicy` `<string>`\n\n' +
  'Allowed values: `Always` · `Never` · `IfNotPresent`\n\n' +
  'Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images';

test('hover on a container field: its path, type, allowed values and description, on the key', async () => {
  const key = client.locate('apps/deployment.yaml', 'imagePullPolicy');
  assert.deepEqual(key, range(18, 10, 18, 25));
  assert.deepEqual(await hoverAt('apps/deployment.yaml', { line: 18, character: 14 }), { value: IMAGE_PULL_POLICY, range: key });
  // On the value: the same field, over the value.
  assert.deepEqual(await hoverAt('apps/deployment.yaml', { line: 18, character: 30 }), { value: IMAGE_PULL_POLICY, range: range(18, 27, 18, 39) });
  // A required field says so.
  const name = await hoverAt('apps/deployment.yaml', { line: 16, character: 12 });
  assert.deepEqual(name, {
    value:
      '`spec.template.spec.containers[].name` `<string>` · required\n\n' +
      'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.',
    range: range(16, 10, 16, 14),
  });
  // A key of a free-form map is described by its map.
  const label = await hoverAt('apps/deployment.yaml', { line: 5, character: 5 });
  assert.match(label!.value, /^`metadata\.labels` `<map\[string\]string>`\n\nMap of string keys and values/);
  assert.deepEqual(label!.range, range(5, 4, 5, 7));
});

test('hover on a Flux Kustomization field comes from its CRD; its name keeps the Kustomization summary', async () => {
  assert.deepEqual(await hoverAt('clusters/prod/apps.yaml', { line: 8, character: 4 }), {
    value: '`spec.prune` `<boolean>` · required\n\nPrune enables garbage collection.',
    range: range(8, 2, 8, 7),
  });
  const sourceKind = await hoverAt('clusters/prod/apps.yaml', { line: 10, character: 5 });
  assert.equal(sourceKind!.value, '`spec.sourceRef.kind` `<string>` · required\n\nAllowed values: `OCIRepository` · `GitRepository` · `Bucket` · `ExternalArtifact`\n\nKind of the referent.');
  const name = await hoverAt('clusters/prod/apps.yaml', { line: 3, character: 8 });
  assert.match(name!.value, /^\*\*Kustomization\*\* `flux-system\/apps`/);
});

test('hover in kustomization.yaml and in a patch file', async () => {
  const patches = await hoverAt('apps/kustomization.yaml', { line: 5, character: 2 });
  assert.equal(patches!.range!.start.line, 5);
  assert.match(patches!.value, /^`patches` `<\[\]Patch>`\n\n/);
  const entry = await hoverAt('apps/kustomization.yaml', { line: 3, character: 6 });
  assert.deepEqual(entry, {
    value: '`resources[]` `<string>`\n\nResources specifies relative paths to files holding YAML representations of kubernetes API objects. URLs and globs not supported.',
    range: range(3, 4, 3, 19),
  });
  const replicas = await hoverAt('apps/replicas.yaml', { line: 5, character: 4 });
  assert.match(replicas!.value, /^`spec\.replicas` `<integer>`\n\nNumber of desired pods\./);
  assert.deepEqual(replicas!.range, range(5, 2, 5, 10));
});

test('a kind without schema or a comment has no hover; a SOPS value is left to the SOPS hover', async () => {
  assert.equal(await hoverAt('apps/certificate.yaml', { line: 5, character: 4 }), null);
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v\n# a comment\ndata:\n  a: ENC[AES256_GCM,data:AAAA,iv:BBBB,tag:CCCC,type:str]\n';
  await client.open('apps/values.yaml', configMap);
  assert.equal(await hoverAt('apps/values.yaml', { line: 4, character: 5 }), null);
  assert.equal(await hoverAt('apps/values.yaml', { line: 6, character: 10 }), null);
  // Its key is described by its map.
  assert.match((await hoverAt('apps/values.yaml', { line: 6, character: 2 }))!.value, /^`data` `<map\[string\]string>`\n\nData contains the configuration data\./);
});

const CONTAINER_HEAD = DEPLOYMENT.split('\n').slice(0, 18).join('\n');

test('completion in a container offers its fields, required first, not those already written', async () => {
  const items = await complete('apps/deployment.yaml', `${CONTAINER_HEAD}\n          $0\n          ports:\n            - containerPort: 80\n`);
  const names = labels(items);
  assert.ok(names.includes('imagePullPolicy'));
  for (const present of ['name', 'image', 'ports']) assert.ok(!names.includes(present), `${present} is already written`);
  assert.deepEqual(edit(items, 'imagePullPolicy'), ['imagePullPolicy: ', range(18, 10, 18, 10)]);
  const policy = items.find((i) => i.label === 'imagePullPolicy')!;
  assert.equal(policy.detail, 'string');
  assert.match((policy.documentation as MarkupContent).value, /^Allowed values: `Always` · `Never` · `IfNotPresent`\n\nImage pull policy\./);
  // Lists and objects open a block below the key.
  assert.deepEqual(edit(items, 'env'), ['env:\n            - $0', range(18, 10, 18, 10)]);
  assert.deepEqual(edit(items, 'resources'), ['resources:\n            $0', range(18, 10, 18, 10)]);
  assert.equal(items.find((i) => i.label === 'env')!.insertTextFormat, InsertTextFormat.Snippet);
  // A new list item: its required field first.
  const item = await complete('apps/deployment.yaml', `${CONTAINER_HEAD}\n        - $0\n`);
  assert.equal(shown(item)[0], 'name');
  assert.equal(item[0].labelDetails?.description, 'required');
  assert.deepEqual(edit(item, 'name'), ['name: ', range(18, 10, 18, 10)]);
});

test('a partial key is replaced by the field', async () => {
  const items = await complete('apps/deployment.yaml', `${CONTAINER_HEAD}\n          imageP$0\n`);
  assert.deepEqual(edit(items, 'imagePullPolicy'), ['imagePullPolicy: ', range(18, 10, 18, 16)]);
  assert.ok(!labels(items).includes('image'));
});

test('completion after imagePullPolicy: offers its three values', async () => {
  const items = await complete('apps/deployment.yaml', `${CONTAINER_HEAD}\n          imagePullPolicy: $0\n`);
  assert.deepEqual(
    items.map((i) => [i.label, (i.textEdit as TextEdit).newText, (i.textEdit as TextEdit).range]),
    [
      ['Always', 'Always', range(18, 27, 18, 27)],
      ['Never', 'Never', range(18, 27, 18, 27)],
      ['IfNotPresent', 'IfNotPresent', range(18, 27, 18, 27)],
    ],
  );
  const typed = await complete('apps/deployment.yaml', `${CONTAINER_HEAD}\n          imagePullPolicy: If$0\n`);
  assert.deepEqual(edit(typed, 'IfNotPresent'), ['IfNotPresent', range(18, 27, 18, 29)]);
});

test('Flux fields and values come from the CRD; the existing names still come first', async () => {
  const head = FILES['clusters/prod/apps.yaml'].replace('  prune: true\n', '');
  const fields = await complete('clusters/prod/apps.yaml', `${head}  $0\n`);
  assert.ok(labels(fields).includes('prune'));
  assert.ok(labels(fields).includes('dependsOn'));
  assert.ok(!labels(fields).includes('interval'));
  assert.ok(!labels(fields).includes('path'));
  const prune = await complete('clusters/prod/apps.yaml', `${head}  prune: $0\n`);
  assert.deepEqual(labels(prune), ['true', 'false']);
  // sourceRef.kind: the Flux source kinds, offered once.
  const kinds = await complete('clusters/prod/apps.yaml', FILES['clusters/prod/apps.yaml'].replace('kind: GitRepository', 'kind: $0'));
  assert.deepEqual(labels(kinds), ['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact']);
  // A new dependsOn item: Kustomization names first, then the fields of an entry.
  const deps = await complete('clusters/prod/apps.yaml', `${head}  dependsOn:\n    - $0\n`);
  assert.deepEqual(shown(deps), ['infra', 'name', 'namespace', 'readyExpr']);
  assert.deepEqual(edit(deps, 'infra'), ['name: infra', range(12, 6, 12, 6)]);
  assert.deepEqual(edit(deps, 'namespace'), ['namespace: ', range(12, 6, 12, 6)]);
});

test('completion in a half-typed document still works', async () => {
  // The unclosed quote makes the parser read the lines below as part of the image.
  const broken = CONTAINER_HEAD.replace('image: nginx:1.27', 'image: "nginx:1.27');
  const items = await complete('apps/deployment.yaml', `${broken}\n          imageP$0\n`);
  assert.deepEqual(edit(items, 'imagePullPolicy'), ['imagePullPolicy: ', range(18, 10, 18, 16)]);
  const values = await complete('apps/deployment.yaml', `${broken}\n          imagePullPolicy: $0\n        - name: sidecar\n          image: [\n`);
  assert.deepEqual(labels(values), ['Always', 'Never', 'IfNotPresent']);
  // A map with nothing in it yet.
  const top = await complete('apps/fresh.yaml', 'apiVersion: v1\nkind: Service\nspec:\n  $0\n');
  assert.ok(labels(top).includes('ports'));
  assert.ok(labels(top).includes('type'));
});

test('kustomization.yaml: its fields, not those written', async () => {
  const items = await complete('apps/kustomization.yaml', `${FILES['apps/kustomization.yaml']}$0\n`);
  assert.ok(labels(items).includes('images'));
  assert.ok(labels(items).includes('namespace'));
  assert.ok(!labels(items).includes('resources'));
  assert.ok(!labels(items).includes('patches'));
  assert.deepEqual(edit(items, 'images'), ['images:\n  - $0', range(7, 0, 7, 0)]);
  // Deprecated fields come last, struck through, with what replaces them.
  const commonLabels = items.find((i) => i.label === 'commonLabels')!;
  assert.deepEqual(commonLabels.tags, [CompletionItemTag.Deprecated]);
  assert.match((commonLabels.documentation as MarkupContent).value, /^\*\*Deprecated\*\*: use `labels`\./);
  assert.ok(shown(items).indexOf('commonLabels') > shown(items).indexOf('validators'));
});

test('compact lists, list items and a later document of the file', async () => {
  const pod = (marked: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n${marked}  volumes:\n  - name: v\n`;
  const container = await complete('apps/pod.yaml', pod('    $0\n'));
  assert.deepEqual(edit(container, 'image'), ['image: ', range(12, 4, 12, 4)]);
  assert.ok(!labels(container).includes('name'));
  const spec = await complete('apps/pod.yaml', pod('  host$0\n'));
  assert.deepEqual(edit(spec, 'hostname'), ['hostname: ', range(12, 2, 12, 6)]);
  for (const present of ['containers', 'volumes']) assert.ok(!labels(spec).includes(present), `${present} is already written`);
  const protocol = await complete('apps/pod.yaml', pod('    ports:\n    - containerPort: 80\n      protocol: $0\n'));
  assert.deepEqual(labels(protocol), ['TCP', 'UDP', 'SCTP']);
  // Server-written metadata comes after what one writes.
  const metadata = shown(await complete('apps/pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  $0\n'));
  assert.ok(metadata.indexOf('labels') < metadata.indexOf('uid'));
  assert.ok(metadata.indexOf('namespace') < metadata.indexOf('resourceVersion'));
});

test('no schema, no items: an unknown kind, a free-form map, a block string, an object value', async () => {
  assert.deepEqual(await complete('apps/certificate.yaml', `${FILES['apps/certificate.yaml']}  $0\n`), []);
  assert.deepEqual(await complete('apps/labels.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v\n  labels:\n    $0\n'), []);
  // One level up, the fields of metadata.
  assert.deepEqual(edit(await complete('apps/labels.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v\n  $0\n'), 'labels'), ['labels:\n    $0', range(4, 2, 4, 2)]);
  assert.deepEqual(await complete('apps/kustomization.yaml', 'patches:\n  - patch: |\n      apiVersion: v1\n      $0\n'), []);
  assert.deepEqual(await complete('apps/deployment.yaml', `${CONTAINER_HEAD}\n          resources: $0\n`), []);
});

test('a space typed to indent a blank line does not pop the field list; asking for completion there does', async () => {
  const marked = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  $0\n';
  assert.deepEqual(await complete('apps/indent.yaml', marked, ' '), []);
  assert.ok(labels(await complete('apps/indent.yaml', marked)).includes('name'));
});
