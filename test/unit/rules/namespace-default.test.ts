import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';

const deployment = (namespace = '') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web${namespace ? `\n    namespace: ${namespace}` : ''}
  spec:
    selector:
      matchLabels: {app: web}
    template:
      metadata:
        labels: {app: web}
      spec:
        containers:
          - name: app
            image: nginx
`;
const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n';
const base = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps/web'),
};

test('fires on a Deployment nothing gives a namespace; the fix adds the component\'s namespace to its kustomization', () => {
  const model = repo({ ...base, 'apps/web/namespace.yaml': namespace, 'apps/web/deployment.yaml': deployment(), 'apps/web/kustomization.yaml': 'resources:\n  - namespace.yaml\n  - deployment.yaml\n' });
  const findings = check(model, 'namespace/default');
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.file, 'apps/web/deployment.yaml');
  assert.equal(at(f), '4:9-4:12');
  assert.equal(f.severity, 'warning');
  assert.equal(f.message, 'Deployment web lands in the default namespace: it names no namespace, no namespace in apps/web/kustomization.yaml sets one, and Kustomization flux-system/apps has no targetNamespace.');
  assert.equal(f.fixes?.[0].title, 'Add namespace: web to apps/web/kustomization.yaml');
  applyFix(model, f.fixes![0]);
  assert.equal(model.file('apps/web/kustomization.yaml')!.text, 'resources:\n  - namespace.yaml\n  - deployment.yaml\nnamespace: web\n');
  assert.deepEqual(check(model, 'namespace/default'), []);
});

test('fires on a generated ConfigMap, at its generator entry', () => {
  const model = repo({
    ...base,
    'apps/web/deployment.yaml': deployment('web'),
    'apps/web/kustomization.yaml': 'resources:\n  - deployment.yaml\nconfigMapGenerator:\n  - name: settings\n    literals:\n      - a=b\n',
  });
  const [f, ...rest] = check(model, 'namespace/default');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/web/kustomization.yaml');
  assert.equal(at(f), '4:5-4:9');
  assert.match(f.message, /^ConfigMap settings-[a-z0-9]+ lands in the default namespace/);
  assert.equal(f.fixes?.[0].title, 'Add namespace: web to apps/web/kustomization.yaml');
  applyFix(model, f.fixes![0]);
  assert.deepEqual(check(model, 'namespace/default'), []);
});

test('does not fire where a namespace is set: the manifest, the kustomization, targetNamespace; nor on cluster-scoped or unknown kinds', () => {
  const cases: Record<string, string>[] = [
    { 'apps/web/deployment.yaml': deployment('web'), 'apps/web/kustomization.yaml': 'resources:\n  - deployment.yaml\n' },
    { 'apps/web/deployment.yaml': deployment(), 'apps/web/kustomization.yaml': 'namespace: web\nresources:\n  - deployment.yaml\n' },
    { 'clusters/prod/apps.yaml': fluxKs('apps', './apps/web', '  targetNamespace: web\n'), 'apps/web/deployment.yaml': deployment() },
    { 'apps/web/role.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n', 'apps/web/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n' },
    // A build with parts it cannot see is not judged.
    { 'apps/web/deployment.yaml': deployment(), 'apps/web/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - github.com/example/repo//deploy?ref=v1\n' },
  ];
  for (const files of cases) assert.deepEqual(check(repo({ ...base, ...files }), 'namespace/default'), [], JSON.stringify(files));
});

test('a CRD of the repository decides its kind\'s scope', () => {
  const crd = (scope: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: ${scope}\n  names:\n    kind: Widget\n    plural: widgets\n  versions: []\n`;
  const files = (scope: string) => ({ ...base, 'apps/web/crd.yaml': crd(scope), 'apps/web/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n' });
  assert.deepEqual(check(repo(files('Namespaced')), 'namespace/default').map((f) => `${f.file} ${at(f)}`), ['apps/web/widget.yaml 4:9-4:10']);
  assert.deepEqual(check(repo(files('Cluster')), 'namespace/default'), []);
});

test('does not fire where the parent\'s build sets targetNamespace (a replacement from the Namespace, as many repositories do)', () => {
  const replacement = '- source:\n    kind: Namespace\n    fieldPath: metadata.name\n  targets:\n    - select:\n        kind: Kustomization\n        group: kustomize.toolkit.fluxcd.io\n      fieldPaths:\n        - spec.targetNamespace\n      options:\n        create: true\n';
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/kustomization.yaml': 'resources:\n  - flux-system/gotk-sync.yaml\n  - ../../apps/web/ks\n',
    'apps/web/ks/kustomization.yaml': 'resources:\n  - namespace.yaml\n  - ks.yaml\nreplacements:\n  - path: replacement.yaml\n',
    'apps/web/ks/namespace.yaml': namespace,
    'apps/web/ks/replacement.yaml': replacement,
    'apps/web/ks/ks.yaml': fluxKs('web', './apps/web/app'),
    'apps/web/app/deployment.yaml': deployment(),
  });
  assert.deepEqual(check(model, 'namespace/default'), []);
  // Without the replacement the Deployment lands in default.
  model.setFile('apps/web/ks/kustomization.yaml', 'resources:\n  - namespace.yaml\n  - ks.yaml\n');
  assert.deepEqual(check(model, 'namespace/default').map((f) => `${f.file} ${at(f)}`), ['apps/web/app/deployment.yaml 4:9-4:12']);
});
