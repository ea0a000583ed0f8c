import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deprecatedKustomizeFields, SchemaRegistry } from '../../../server/src/schema/index';
import { doc, render } from './helpers';

const registry = new SchemaRegistry();

test('a kustomization.yaml is validated against the kustomize schema', () => {
  const problems = registry.validate(doc`
    apiVersion: kustomize.config.k8s.io/v1beta1
    kind: Kustomization
    namespace: apps
    resources:
      - namespace.yaml
      - 42
    patches:
      - path: replicas.yaml
        targt: {kind: Deployment}
      - patch: |-
          - op: replace
            path: /spec/replicas
            value: 2
        target: {kind: Deployment, name: web}
        options: {allowNameChange: true}
    images:
      - name: nginx
        newTag: 1.27
    configMapGenerator:
      - name: settings
        behavior: merger
    sortOptions:
      order: fifo
    helmCharts:
      - name: cert-approver
        skipTests: true
  `);
  assert.deepEqual(render(problems), [
    'resources.1 (value): "resources[1]" must be a string, got integer',
    'patches.0.targt (key): Unknown field "targt" in Patch; did you mean "target"?',
    'images.0.newTag (value): "newTag" must be a string, got number',
    'configMapGenerator.0.behavior (value): "behavior" must be one of "create", "replace", "merge", got "merger"; did you mean "merge"?',
  ]);
});

test('a kustomization.yaml without apiVersion and kind is validated when the caller says it is one', () => {
  const text = { resources: ['a.yaml'], namePrefx: 'dev-' };
  assert.deepEqual(render(registry.validate(text, { isKustomization: true })), [
    'namePrefx (key): Unknown field "namePrefx" in Kustomization; did you mean "namePrefix"?',
  ]);
  assert.deepEqual(registry.validate(text), []);
});

test('a kustomize Component uses the kustomization schema', () => {
  const problems = registry.validate(doc`
    apiVersion: kustomize.config.k8s.io/v1alpha1
    kind: Component
    patches:
      - path: p.yaml
    replacements:
      - source: {kind: ConfigMap, name: c, fieldPath: data.a}
        targets:
          - select: {kind: Deployment}
            fieldPaths: [spec.replicas]
  `);
  assert.deepEqual(render(problems), []);
});

test('deprecated kustomize fields come with their mechanical rewrite', () => {
  const k = doc`
    bases: [../base]
    commonLabels: {app: web}
    patchesStrategicMerge: [patch.yaml]
    patchesJson6902:
      - target: {kind: Deployment, name: web}
        path: json.yaml
    vars: []
    resources: [a.yaml]
  `;
  assert.deepEqual(render(registry.validate(k, { isKustomization: true })), []);
  const found = deprecatedKustomizeFields(k);
  assert.deepEqual(found.map((d) => `${d.field} → ${d.replacement}`), [
    'patchesStrategicMerge → patches',
    'patchesJson6902 → patches',
    'bases → resources',
    'commonLabels → labels',
    'vars → replacements',
  ]);
  assert.equal(
    found.find((d) => d.field === 'commonLabels')!.rewrite,
    'Replace `commonLabels: {k: v}` by `labels: [{pairs: {k: v}, includeSelectors: true}]` (includeSelectors keeps the old effect on selectors; leave it out to label metadata only).',
  );
  assert.deepEqual(deprecatedKustomizeFields({ resources: [] }), []);
  assert.deepEqual(deprecatedKustomizeFields(null), []);
});

test('a Flux Kustomization in a file named kustomization.yaml is judged as a Flux Kustomization', () => {
  const problems = registry.validate(
    doc`
      apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata: {name: apps, namespace: flux-system}
      spec:
        interval: 10m
        prune: true
        path: ./apps
        sourceRef: {kind: GitRepository, name: flux-system}
    `,
    { isKustomization: true },
  );
  assert.deepEqual(render(problems), []);
});
