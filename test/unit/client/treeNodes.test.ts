import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureUniqueIds, findNode, isResourceOf, resourceContextValue, type TreeNode } from '../../../client/src/views/treeNodes';


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
