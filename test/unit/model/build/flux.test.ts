// What a Flux Kustomization applies, written from the kustomize-controller documentation
// (docs/spec/v1/kustomizations.md: targetNamespace, patches, components, postBuild).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFluxKustomization, type FluxKustomizationInput } from '../../../../server/src/model/build';
import { memoryInput } from './memoryInput';

const source = { file: 'clusters/prod/apps.yaml', index: 0 };

function render(files: Record<string, string>, spec: any, variables: Record<string, string> = {}, extra: Partial<FluxKustomizationInput> = {}) {
  return renderFluxKustomization(memoryInput(files), { folder: 'apps', source, name: 'apps', namespace: 'flux-system', spec, variables, ...extra });
}

const cm = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

test('targetNamespace sets the namespace of every object, overriding the kustomization namespace', () => {
  const result = render({ 'apps/kustomization.yaml': 'namespace: from-kustomize\nresources: [cm.yaml]\n', 'apps/cm.yaml': cm('a') }, { targetNamespace: 'apps' });
  assert.equal(result.objects[0].namespace, 'apps');
});

test('a plain folder is applied whole: every manifest below it, a subfolder with a kustomization as one unit', () => {
  const result = render(
    {
      'apps/a.yaml': cm('a'),
      'apps/nested/b.yaml': cm('b'),
      'apps/unit/kustomization.yaml': 'resources: [c.yaml]\nnamePrefix: unit-\n',
      'apps/unit/c.yaml': cm('c'),
      'apps/unit/not-listed.yaml': cm('d'),
    },
    {},
  );
  assert.equal(result.error, undefined);
  assert.deepEqual(result.objects.map((o) => o.name).sort(), ['a', 'b', 'unit-c']);
});

test('spec.patches and spec.components are added to the kustomization', () => {
  const result = render(
    { 'apps/kustomization.yaml': 'resources: [cm.yaml]\n', 'apps/cm.yaml': cm('a', 'data:\n  k: v\n'), 'components/extra/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  extra: "yes"\n' },
    { patches: [{ target: { kind: 'ConfigMap' }, patch: '- op: replace\n  path: /data/k\n  value: patched\n' }], components: ['../components/extra'] },
  );
  assert.equal(result.error, undefined);
  assert.equal(result.objects[0].object.data.k, 'patched');
  assert.equal(result.objects[0].object.metadata.annotations.extra, 'yes');
});

test('postBuild substitution: values, defaults, escapes, and the opt-out annotation and label', () => {
  const files = {
    'apps/kustomization.yaml': 'resources: [cm.yaml]\n',
    'apps/cm.yaml': [
      cm('vars', 'data:\n  env: ${cluster_env}\n  region: ${cluster_region:=eu-central-1}\n  kept: $${cluster_env}\n  script: echo $HOME\n  missing: "${not_set}"\n'),
      cm('annotated', '  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  env: ${cluster_env}\n'),
      cm('labelled', '  labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  env: ${cluster_env}\n'),
    ].join('---\n'),
  };
  const result = render(files, { postBuild: { substitute: { cluster_env: 'prod' } } }, { cluster_env: 'prod' });
  const byName = Object.fromEntries(result.objects.map((o) => [o.name, o.object]));
  // Flux substitutes the object's YAML text, where `${not_set}` is written without quotes: an
  // undefined variable leaves `missing:` with nothing, which reads as null.
  assert.deepEqual(byName.vars.data, { env: 'prod', region: 'eu-central-1', kept: '${cluster_env}', script: 'echo $HOME', missing: null });
  assert.equal(byName.annotated.data.env, '${cluster_env}');
  assert.equal(byName.labelled.data.env, '${cluster_env}');
});

test('without postBuild variables nothing is substituted, defaults included', () => {
  const result = render({ 'apps/kustomization.yaml': 'resources: [cm.yaml]\n', 'apps/cm.yaml': cm('a', 'data:\n  v: ${x:=default}\n') }, {});
  assert.equal(result.objects[0].object.data.v, '${x:=default}');
});

test('a substituted number is read again as a number, as Flux reads the substituted YAML', () => {
  const result = render({ 'apps/kustomization.yaml': 'resources: [d.yaml]\n', 'apps/d.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: ${replicas}\n' }, { postBuild: { substitute: { replicas: '3' } } }, { replicas: '3' });
  assert.equal(result.objects[0].object.spec.replicas, 3);
});

test('variables from a source the build cannot read stay as written and the result says so', () => {
  const result = render(
    { 'apps/kustomization.yaml': 'resources: [cm.yaml]\n', 'apps/cm.yaml': cm('a', 'data:\n  v: ${from_secret}\n') },
    { postBuild: { substituteFrom: [{ kind: 'Secret', name: 'vars' }] } },
    {},
    { unknownVariables: 'Secret flux-system/vars is not in this repository' },
  );
  assert.equal(result.objects[0].object.data.v, '${from_secret}');
  assert.deepEqual(result.unresolved.map((u) => u.reason), ['from_secret: Secret flux-system/vars is not in this repository']);
});

test('every applied object carries the Kustomization that applies it', () => {
  const result = render({ 'apps/kustomization.yaml': 'resources: [cm.yaml]\n', 'apps/cm.yaml': cm('a') }, {});
  assert.deepEqual(result.objects[0].object.metadata.labels, { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' });
  assert.deepEqual(result.objects[0].chain.map((s) => s.field), ['resources', 'flux']);
});

test('the top kustomization is decoded as fluxcd/pkg\'s generator decodes it: unknown fields dropped (and listed), the spec applied; a nested one is still refused', () => {
  // `Kustomization` (not a YAML file of the model) and kustomization.yaml read the same way.
  for (const name of ['kustomization.yaml', 'Kustomization']) {
    const result = render({ [`apps/${name}`]: 'resources: [cm.yaml]\nnamespac: typo\ncommonLabel: {a: b}\n', 'apps/cm.yaml': cm('a') }, { targetNamespace: 'apps' });
    assert.equal(result.error, undefined, name);
    assert.deepEqual(result.objects.map((o) => [o.name, o.namespace, o.object.metadata.labels?.a]), [['a', 'apps', undefined]], name);
    assert.deepEqual(result.ignored, [
      { field: 'namespac', source: { file: `apps/${name}`, nodePath: ['namespac'] } },
      { field: 'commonLabel', source: { file: `apps/${name}`, nodePath: ['commonLabel'] } },
    ]);
  }
  // Kind and apiVersion are still checked after the lenient read, as kustomize checks the rewritten file.
  const component = render({ 'apps/kustomization.yaml': 'kind: Component\nextra: 1\n' }, {});
  assert.equal(component.error?.message, "expected kind != 'Component' for path 'apps'");
  const nested = render({ 'apps/kustomization.yaml': 'resources: [../base]\n', 'base/kustomization.yaml': 'resources: [cm.yaml]\nnamespac: typo\n', 'base/cm.yaml': cm('a') }, {});
  assert.equal(nested.error?.message, 'invalid Kustomization: json: unknown field "namespac"');
  assert.deepEqual(nested.error?.source, { file: 'base/kustomization.yaml', nodePath: ['namespac'] });
  assert.equal(nested.ignored, undefined);
});
