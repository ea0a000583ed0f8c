// Walks over the repository are iterative: a chain as long as the input does not overflow the stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFolder, emptyBuild, type FileTree } from '../../../server/src/model/kustomize';
import type { KustomizeDir } from '../../../server/src/model/types';
import { repo } from '../../helpers/repo';
import { runChecks } from '../../../server/src/check';

test('buildFolder follows a chain of 100,000 kustomizations, in the order of a recursive walk', () => {
  const n = 100_000;
  const tree: FileTree = {
    kindOf: (p) => (/^f\d+$/.test(p) ? 'folder' : /^f\d+\/(kustomization|cm|patch)\.yaml$/.test(p) ? 'file' : 'missing'),
    children: () => ({ files: [], folders: [] }),
  };
  const dirs = (folder: string): KustomizeDir => {
    const i = Number(folder.slice(1));
    const entries = [
      { field: 'patches' as const, value: 'patch.yaml', target: `${folder}/patch.yaml`, exists: 'file' as const },
      { field: 'resources' as const, value: 'cm.yaml', target: `${folder}/cm.yaml`, exists: 'file' as const },
      ...(i + 1 < n ? [{ field: 'resources' as const, value: `../f${i + 1}`, target: `f${i + 1}`, exists: 'folder' as const }] : []),
    ];
    return { folder, file: `${folder}/kustomization.yaml`, namespace: `ns${i}`, entries } as KustomizeDir;
  };
  const build = emptyBuild();
  buildFolder('f0', tree, dirs, build, new Set());
  assert.equal(build.manifests.size, n);
  assert.deepEqual([...build.manifests].slice(0, 3), ['f0/cm.yaml', 'f1/cm.yaml', 'f2/cm.yaml']);
  assert.deepEqual([...build.patches].slice(0, 2), ['f0/patch.yaml', 'f1/patch.yaml']);
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
