// The kustomize engine on small fixtures: what kustomize v5 makes of each kustomization feature
// (each expectation checked with kubectl kustomize), and where it refuses a folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKustomization } from '../../../../server/src/model/build';
import { memoryInput } from './memoryInput';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.0
          env:
            - name: A
              value: "1"
        - name: sidecar
          image: busybox
`;

function build(files: Record<string, string>, folder = 'app') {
  return buildKustomization(memoryInput(files), folder);
}

test('strategic merge merges containers by name and env by name; the patch comes first in the list', () => {
  const result = build({
    'app/deploy.yaml': deployment,
    'app/kustomization.yaml': `resources: [deploy.yaml]
patches:
  - patch: |
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
              - name: sidecar
                env:
                  - name: B
                    value: "2"
`,
  });
  assert.equal(result.error, undefined);
  const containers = result.objects[0].object.spec.template.spec.containers;
  assert.deepEqual(containers.map((c: any) => c.name), ['sidecar', 'app']);
  assert.deepEqual(containers[0], { name: 'sidecar', image: 'busybox', env: [{ name: 'B', value: '2' }] });
  assert.deepEqual(result.objects[0].chain.map((s) => s.field), ['resources', 'patches']);
});

test('$patch: delete removes a list element; a null field is removed', () => {
  const result = build({
    'app/deploy.yaml': deployment,
    'app/kustomization.yaml': `resources: [deploy.yaml]
patches:
  - target: {kind: Deployment}
    patch: |
      kind: Deployment
      metadata: {name: any}
      spec:
        template:
          spec:
            containers:
              - name: sidecar
                $patch: delete
              - name: app
                env: null
`,
  });
  assert.deepEqual(result.objects[0].object.spec.template.spec.containers, [{ name: 'app', image: 'nginx:1.0' }]);
});

test('a JSON 6902 patch needs a target and edits what it selects', () => {
  const result = build({
    'app/deploy.yaml': deployment,
    'app/kustomization.yaml': `resources: [deploy.yaml]
patches:
  - target: {kind: Deploy.*, name: "w.b"}
    patch: |
      - op: replace
        path: /spec/template/spec/containers/0/image
        value: nginx:2.0
`,
  });
  assert.equal(result.objects[0].object.spec.template.spec.containers[0].image, 'nginx:2.0');
});

test('namespace, prefix, labels, images and replicas, with the generated ConfigMap renamed in the Deployment', () => {
  const result = build({
    'app/deploy.yaml': deployment.replace('        - name: sidecar\n          image: busybox\n', '          envFrom:\n            - configMapRef:\n                name: settings\n'),
    'app/kustomization.yaml': `namespace: team
namePrefix: dev-
labels:
  - pairs: {tier: web}
    includeSelectors: true
images:
  - name: nginx
    newTag: "1.27"
replicas:
  - name: web
    count: 3
configMapGenerator:
  - name: settings
    literals: [a=b]
resources: [deploy.yaml]
`,
  });
  assert.equal(result.error, undefined);
  const [deploy, cm] = result.objects;
  assert.equal(cm.name, 'dev-settings-4h2mbtbbt6');
  assert.equal(cm.namespace, 'team');
  assert.equal(deploy.name, 'dev-web');
  assert.deepEqual(deploy.object.spec.selector, { matchLabels: { tier: 'web' } });
  assert.equal(deploy.object.spec.replicas, 3);
  const app = deploy.object.spec.template.spec.containers[0];
  assert.equal(app.image, 'nginx:1.27');
  assert.equal(app.envFrom[0].configMapRef.name, 'dev-settings-4h2mbtbbt6');
});

test('keys are matched as kustomize matches them: apiversion and Resources are accepted', () => {
  const result = build({ 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n', 'app/kustomization.yaml': 'apiversion: kustomize.config.k8s.io/v1beta1\nKind: Kustomization\nResources: [cm.yaml]\n' });
  assert.equal(result.error, undefined);
  assert.equal(result.objects.length, 1);
});

test('components apply to what the kustomization has accumulated', () => {
  const result = build({
    'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    'app/kustomization.yaml': 'resources: [cm.yaml]\ncomponents: [../shared]\n',
    'shared/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  team: x\n',
  });
  assert.deepEqual(result.objects[0].object.metadata.annotations, { team: 'x' });
});

test('refusals are build errors at the entry that causes them', () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
  const cases: Array<[Record<string, string>, RegExp, (string | number)[] | undefined]> = [
    [{ 'app/a.yaml': cm, 'app/b.yaml': cm, 'app/kustomization.yaml': 'resources: [a.yaml, b.yaml]\n' }, /^may not add resource with an already registered id: ConfigMap\.v1\.a\.\[noNs\]$/, ['resources', 1]],
    [{ 'app/kustomization.yaml': 'configMapGenerator:\n  - name: x\n    files: [missing.txt]\n' }, /missing\.txt: no such file or directory/, ['configMapGenerator', 0, 'files', 0]],
    [{ 'app/kustomization.yaml': 'resources: []\nresource: [a.yaml]\n' }, /^invalid Kustomization: json: unknown field "resource"$/, ['resource']],
    [{ 'app/kustomization.yaml': 'resources: [nothere.yaml]\n' }, /accumulating resources from 'nothere\.yaml'/, ['resources', 0]],
    [{ 'app/a.yaml': cm, 'app/kustomization.yaml': 'resources: [a.yaml]\npatches:\n  - patch: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: b\n' }, /^no resource matches strategic merge patch/, ['patches', 0]],
  ];
  for (const [files, message, nodePath] of cases) {
    const result = build(files);
    assert.ok(result.error, `expected a refusal for ${JSON.stringify(files)}`);
    assert.match(result.error.message, message);
    assert.equal(result.error.source.file, 'app/kustomization.yaml');
    assert.deepEqual(result.error.source.nodePath, nodePath);
    assert.deepEqual(result.objects, []);
  }
});

test('what the engine cannot see is unresolved with a reason, never an error', () => {
  const result = build({ 'app/kustomization.yaml': 'resources:\n  - https://example.com/crds.yaml\nhelmCharts:\n  - name: x\n' });
  assert.equal(result.error, undefined);
  assert.deepEqual(result.unresolved.map((u) => u.reason), ['remote resource https://example.com/crds.yaml is not in this repository', 'helmCharts are inflated by Helm, which this build does not run']);
});

test('a build records what it read', () => {
  const result = build({ 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n', 'app/kustomization.yaml': 'resources: [cm.yaml]\n', 'other/x.yaml': 'a: 1\n' });
  assert.ok(result.reads.has('app/kustomization.yaml'));
  assert.ok(result.reads.has('app/cm.yaml'));
  assert.ok(!result.reads.has('other/x.yaml'));
});
