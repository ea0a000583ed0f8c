import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dependencyOrder, ensureUniqueIds, findNode, isResourceOf, resourceContextValue, type TreeNode } from '../../../client/src/views/treeNodes';
import { kustomization } from './fixtures';

const names = (list: { name: string }[]) => list.map((ks) => ks.name);

test('Kustomizations come after what they depend on, otherwise in the given order', () => {
  const ordered = dependencyOrder([
    kustomization('apps', { dependsOn: ['services'] }),
    kustomization('flux-system'),
    kustomization('services', { dependsOn: ['core'] }),
    kustomization('core'),
  ]);
  assert.deepEqual(names(ordered), ['flux-system', 'core', 'services', 'apps']);
});

test('a dependsOn entry names its own namespace unless it says "namespace/name"', () => {
  const ordered = dependencyOrder([
    kustomization('web', { namespace: 'apps', dependsOn: ['db', 'infra/db'] }),
    kustomization('db', { namespace: 'infra' }),
    kustomization('db', { namespace: 'apps' }),
  ]);
  assert.deepEqual(ordered.map((ks) => `${ks.namespace}/${ks.name}`), ['infra/db', 'apps/db', 'apps/web']);
});

test('unknown dependencies are ignored and the members of a cycle keep their order', () => {
  const ordered = dependencyOrder([
    kustomization('a', { dependsOn: ['b'] }),
    kustomization('b', { dependsOn: ['a'] }),
    kustomization('c', { dependsOn: ['missing', 'c'] }),
  ]);
  assert.deepEqual(names(ordered), ['c', 'a', 'b']);
});

test('Secrets and HelmReleases have their own context values for menus', () => {
  assert.equal(resourceContextValue('Secret'), 'resource.secret');
  assert.equal(resourceContextValue('HelmRelease'), 'resource.helmrelease');
  assert.equal(resourceContextValue('ConfigMap'), 'resource');
});

test('a file\'s first resource is found depth first, by its manifest URI however it is spelled', () => {
  const leaf = (id: string, uri: string): TreeNode => ({ id, kind: 'resource', label: id, tooltip: '', contextValue: 'resource', icon: 'x', location: { uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, children: [] });
  const tree: TreeNode[] = [
    { id: 'layer', kind: 'layer', label: 'apps', tooltip: '', contextValue: 'layer', icon: 'x', children: [leaf('a', 'file:///repo/a.yaml'), leaf('b', 'file:///repo%40head/b.yaml')] },
  ];
  assert.equal(findNode(tree, isResourceOf('file:///repo/a.yaml'))?.id, 'a');
  assert.equal(findNode(tree, isResourceOf('file:///repo@head/b.yaml')), undefined);
  assert.equal(findNode(tree, isResourceOf('file:///repo@head/b.yaml', decodeURIComponent))?.id, 'b');
  assert.equal(findNode(tree, (node) => node.kind === 'namespace'), undefined);
});

test('a tree never has two items of one id, even when the server lists an object twice', () => {
  const node = (id: string, children: TreeNode[] = []): TreeNode => ({ id, kind: 'resource', label: id, tooltip: '', contextValue: 'resource', icon: 'x', children });
  const tree = ensureUniqueIds([node('a', [node('a/x'), node('a/x')]), node('a')]);
  const ids = (nodes: TreeNode[]): string[] => nodes.flatMap((n) => [n.id, ...ids(n.children)]);
  assert.deepEqual(ids(tree), ['a', 'a/x', 'a/x#2', 'a#2']);
});
