// Where an object's namespace comes from: the render engine's answer (model/build), read through
// model.namespaceOf and each cluster's objects (model/applied.ts). Cases the per-file injection
// it replaced got wrong: Flux spec.patches and kustomize replacements that set a namespace, a
// document of a file whose other documents land elsewhere, one file in two clusters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterObjects } from '../../../server/src/model/applied';
import { at, check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';

const cm = (name: string, ns?: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}data:\n  key: value\n`;

test("a Flux Kustomization's spec.patches that set a namespace move the object there", () => {
  const patches = [
    '  patches:',
    '    - target:',
    '        kind: ConfigMap',
    '        name: moved',
    '      patch: |',
    '        - op: replace',
    '          path: /metadata/namespace',
    '          value: elsewhere',
    '',
  ].join('\n');
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps', patches),
    'apps/kustomization.yaml': 'resources:\n  - cms.yaml\n',
    'apps/cms.yaml': cm('moved', 'apps') + '---\n' + cm('stays', 'apps'),
  });
  const [moved, stays] = model.file('apps/cms.yaml')!.resources;
  // The old answer was the file's `apps` for both (spec.patches were ignored). (A kustomization
  // `namespace:` would win again: kustomize-controller adds the patches to the folder's
  // kustomization, whose namespace transformer runs after them.)
  assert.equal(model.namespaceOf(moved), 'elsewhere');
  assert.equal(model.namespaceOf(stays), 'apps');
  const objects = clusterObjects(model)[0].objects.filter((o) => o.kind === 'ConfigMap').map((o) => `${o.namespace}/${o.name}`);
  assert.deepEqual(objects.sort(), ['apps/stays', 'elsewhere/moved']);
});

test('a kustomize replacement that writes metadata.namespace decides it', () => {
  const kustomization = [
    'resources:',
    '  - settings.yaml',
    '  - app.yaml',
    'replacements:',
    '  - source:',
    '      kind: ConfigMap',
    '      name: settings',
    '      fieldPath: data.target',
    '    targets:',
    '      - select:',
    '          kind: ConfigMap',
    '          name: app',
    '        fieldPaths:',
    '          - metadata.namespace',
    '',
  ].join('\n');
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
    'apps/kustomization.yaml': kustomization,
    'apps/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: config\ndata:\n  target: replaced\n',
    'apps/app.yaml': cm('app', 'written'),
  });
  // The old injection ignored replacements: it said `written`.
  assert.equal(model.namespaceOf(model.file('apps/app.yaml')!.resources[0]), 'replaced');
});

test("Flux targetNamespace wins over the kustomization's namespace, and the Kustomization is where it comes from", () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps', '  targetNamespace: target\n'),
    'apps/kustomization.yaml': 'namespace: inner\nresources:\n  - cm.yaml\n',
    'apps/cm.yaml': cm('web', 'written'),
  });
  const web = model.file('apps/cm.yaml')!.resources[0];
  assert.equal(model.namespaceOf(web), 'target');
  const built = clusterObjects(model)[0].objects.find((o) => o.resource === web)!;
  assert.equal(built.namespace, 'target');
  assert.equal(built.namespaceSetBy, 'clusters/prod/apps.yaml');
});

test('one file applied by two clusters lands in a different namespace in each', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps', '  targetNamespace: prod-apps\n'),
    'clusters/staging/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('staging'),
    'clusters/staging/apps.yaml': fluxKs('apps', './apps', '  targetNamespace: staging-apps\n'),
    'apps/cm.yaml': cm('web'),
  });
  const web = model.file('apps/cm.yaml')!.resources[0];
  assert.deepEqual(model.graph.clusters.map((c) => c.name).sort(), ['prod', 'staging']);
  // The old injection kept the first cluster's namespace for the file, in every cluster.
  assert.equal(model.namespaceOf(web, 'prod'), 'prod-apps');
  assert.equal(model.namespaceOf(web, 'staging'), 'staging-apps');
  const perCluster = clusterObjects(model).map((c) => `${c.cluster.name}: ${c.objects.find((o) => o.resource === web)?.namespace}`);
  assert.deepEqual(perCluster.sort(), ['prod: prod-apps', 'staging: staging-apps']);
});

test('a namespace from post-build substitution reaches the cluster objects; unapplied files keep their own', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps', '  postBuild:\n    substitute:\n      NS: from-variable\n'),
    'apps/cm.yaml': cm('web', '${NS:-fallback}'),
    'dead/cm.yaml': cm('dead', 'own'),
  });
  const web = clusterObjects(model)[0].objects.find((o) => o.name === 'web')!;
  assert.equal(web.namespace, 'from-variable');
  assert.equal(model.namespaceOf(model.file('dead/cm.yaml')!.resources[0]), 'own');
});

test('namespace/missing says nothing for a cluster where a Kustomization cannot be built, and fires once it can', () => {
  const files = {
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/infra.yaml': fluxKs('infra', './infrastructure/core'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps/shop'),
    // Refused by kustomize: the same ConfigMap twice. Its Namespace is then not seen.
    'infrastructure/core/kustomization.yaml': 'resources:\n  - ns.yaml\n  - a.yaml\n  - b.yaml\n',
    'infrastructure/core/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
    'infrastructure/core/a.yaml': cm('same', 'shop'),
    'infrastructure/core/b.yaml': cm('same', 'shop'),
    'apps/shop/kustomization.yaml': 'namespace: shop\nresources:\n  - web.yaml\n',
    'apps/shop/web.yaml': cm('web'),
  };
  const refused = repo(files);
  assert.deepEqual(clusterObjects(refused)[0].unbuilt.length, 1);
  assert.deepEqual(check(refused, 'namespace/missing'), []);
  const built = repo({ ...files, 'infrastructure/core/kustomization.yaml': 'resources:\n  - a.yaml\n', 'apps/shop/kustomization.yaml': 'namespace: shop\nresources:\n  - web.yaml\n' });
  assert.deepEqual(clusterObjects(built)[0].unbuilt, []);
  assert.deepEqual(check(built, 'namespace/missing').map((f) => `${f.file} ${at(f)} ${f.message}`), [
    'apps/shop/kustomization.yaml 1:12-1:16 Component shop puts ConfigMap web in namespace shop, but nothing prod applies declares it (no Namespace object, no HelmRelease with install.createNamespace): the apply fails with namespaces "shop" not found.',
  ]);
});
