// Walks over the repository are iterative: a chain as long as the input does not overflow the stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKustomization } from '../../../server/src/model/build';
import { memoryInput } from './build/memoryInput';
import { repo } from '../../helpers/repo';
import { runChecks } from '../../../server/src/check';

test('a build reaches a chain of kustomizations in the order kustomize reads it, and defers what nests deeper than it walks', () => {
  const n = 1_000;
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    files[`f${i}/kustomization.yaml`] = `resources:\n  - cm.yaml\n${i + 1 < n ? `  - ../f${i + 1}\n` : ''}patches:\n  - path: patch.yaml\n`;
    files[`f${i}/cm.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm${i}\n`;
    files[`f${i}/patch.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm${i}\ndata:\n  a: b\n`;
  }
  const { reach, unresolved, objects } = buildKustomization(memoryInput(files), 'f0');
  assert.equal(objects.length, 0);
  assert.match(unresolved[0].reason, /nest deeper than 200 levels/);
  assert.deepEqual([...reach.manifests].slice(0, 3), ['f0/cm.yaml', 'f1/cm.yaml', 'f2/cm.yaml']);
  assert.equal(reach.manifests.size, 201);
  assert.equal(reach.kustomizationFiles.size, 201);
  // Each folder's patch is read after what its resources reach (kustomize's order).
  assert.deepEqual([...reach.patches].slice(0, 2), ['f200/patch.yaml', 'f199/patch.yaml']);
  assert.equal(reach.patches.size, 201);
  assert.deepEqual([...reach.deferred], ['f201']);
});

test('a chain of 12,000 Flux Kustomizations, each applying the folder of the next, is walked without overflowing', () => {
  const n = 12_000;
  const files: Record<string, string> = {
    'clusters/prod/flux-system/gotk-sync.yaml':
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  path: ./clusters/prod\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
  };
  const ks = (i: number) =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: k${i}\n  namespace: flux-system\nspec:\n  path: ./chain/k${i}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
  files['clusters/prod/k0.yaml'] = ks(0);
  for (let i = 0; i < n; i++) files[`chain/k${i}/next.yaml`] = i + 1 < n ? ks(i + 1) : 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: last\n  namespace: default\n';
  const model = repo(files);
  const [cluster] = model.graph.clusters;
  assert.equal(cluster.kustomizations.length, n + 1);
  assert.deepEqual(cluster.kustomizations.slice(0, 3).map((k) => k.name), ['flux-system', 'k0', 'k1']);
  assert.ok(model.graph.clustersOf.get(`chain/k${n - 1}/next.yaml`)?.size);
  // Every rule walks it too: none throws (a stack overflow would be an internal/rule-failed finding).
  const failed: string[] = [];
  runChecks(model, { onRuleError: (rule, e) => failed.push(`${rule.id}: ${(e as Error).message}`) });
  assert.deepEqual(failed, []);
});

test('a chain of 12,000 kustomizations, each including the next, is checked by every rule without overflowing', () => {
  const n = 12_000;
  const files: Record<string, string> = {
    'clusters/prod/flux-system/gotk-sync.yaml':
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  path: ./clusters/prod\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
    'clusters/prod/apps.yaml':
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./k/0\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
  };
  for (let i = 0; i < n; i++) {
    files[`k/${i}/kustomization.yaml`] = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n${i + 1 < n ? `  - ../${i + 1}\n` : ''}`;
    files[`k/${i}/cm.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm${i}\n  namespace: default\n`;
  }
  const model = repo(files);
  assert.ok(model.graph.clustersOf.get(`k/${n - 1}/cm.yaml`)?.size);
  const failed: string[] = [];
  runChecks(model, { onRuleError: (rule, e) => failed.push(`${rule.id}: ${(e as Error).message}`) });
  assert.deepEqual(failed, []);
});
