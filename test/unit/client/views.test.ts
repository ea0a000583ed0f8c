import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterItem, ComponentsResult } from '../../../server/src/protocol';
import { clustersTree } from '../../../client/src/views/clustersView';
import { componentsTree } from '../../../client/src/views/componentsView';
import type { TreeNode } from '../../../client/src/views/treeNodes';
import { at, component, kustomization, NONE, relative, resource } from './fixtures';

/** The tree as indented "label — description [contextValue]" lines. */
function outline(nodes: TreeNode[], depth = 0): string[] {
  return nodes.flatMap((node) => [
    `${'  '.repeat(depth)}${node.label}${node.description ? ` — ${node.description}` : ''} [${node.contextValue}]`,
    ...outline(node.children, depth + 1),
  ]);
}

const podinfo = component('podinfo', 'environments/apps/podinfo', {
  layer: 'apps',
  namespaces: ['podinfo'],
  resources: [
    resource('Namespace', 'podinfo', 'environments/apps/podinfo/namespace.yaml'),
    resource('Secret', 'token', 'environments/apps/podinfo/secret.yaml', { namespace: 'podinfo', problems: { errors: 1, warnings: 0, others: 0 } }),
    resource('HelmRelease', 'podinfo', 'environments/apps/podinfo/helmrelease.yaml', { namespace: 'podinfo' }),
  ],
});

test('Clusters: cluster → Kustomizations in the order the server sends (dependency order, features/tree.ts) → components → resources', () => {
  const clusters: ClusterItem[] = [{
    name: 'prod',
    folder: 'file:///repo/clusters/prod',
    rootLocation: at('clusters/prod/flux-system/gotk-sync.yaml'),
    problems: { errors: 1, warnings: 0, others: 0 },
    kustomizations: [
      kustomization('core', { resourceCount: 1 }),
      kustomization('apps', { dependsOn: ['core'], components: [podinfo], resourceCount: 3 }),
      kustomization('moved', { folder: undefined, path: './gone', unresolvedReason: 'GitRepository other is on branch dev' }),
    ],
  }];
  const tree = clustersTree(clusters, relative);
  assert.deepEqual(outline(tree), [
    'prod — 3 Kustomizations [cluster]',
    '  core — ./environments/core · 1 resource [kustomization]',
    '  apps — ./environments/apps · 3 resources [kustomization]',
    '    podinfo — apps [component]',
    '      podinfo — Namespace [resource]',
    '      token — Secret · podinfo [resource.secret]',
    '      podinfo — HelmRelease · podinfo [resource.helmrelease]',
    '  moved — ./gone · unresolved [kustomization.unresolved]',
  ]);
  const [prod] = tree;
  assert.equal(prod!.expanded, true, 'a lone cluster opens expanded');
  assert.equal(prod!.location, undefined, 'a click on a cluster expands it');
  assert.equal(prod!.revealUri, 'file:///repo/clusters/prod');
  const apps = prod!.children[1]!;
  assert.deepEqual(apps.graphTarget, { location: at('clusters/prod/apps.yaml') });
  assert.equal(apps.tooltip, 'Flux Kustomization flux-system/apps\npath: ./environments/apps → environments/apps\ndependsOn: core');
  assert.match(prod!.children[2]!.tooltip, /unresolved: GitRepository other is on branch dev/);
  // Where the build cannot say where it lands (features/tree.ts sends ''), no namespace is made up.
  const unknown = clustersTree([{ ...clusters[0], kustomizations: [kustomization('apps', { namespace: '' })] }], relative)[0]!.children[0]!;
  assert.equal(unknown.tooltip.split('\n')[0], 'Flux Kustomization apps (namespace unknown)');
  const secret = apps.children[0]!.children[1]!;
  assert.deepEqual(secret.location, at('environments/apps/podinfo/secret.yaml'));
  assert.equal(secret.tooltip, 'Secret podinfo/token\nenvironments/apps/podinfo/secret.yaml:1\n1 error');
});

test('tree ids are unique and the same on every build', () => {
  const ks = kustomization('apps', { components: [podinfo] });
  const clusters: ClusterItem[] = ['prod', 'staging'].map((name) => ({ name, folder: `file:///repo/clusters/${name}`, kustomizations: [ks], problems: NONE }));
  const ids = (nodes: TreeNode[]): string[] => nodes.flatMap((node) => [node.id, ...ids(node.children)]);
  const first = ids(clustersTree(clusters, relative));
  assert.equal(new Set(first).size, first.length);
  assert.deepEqual(ids(clustersTree(clusters, relative)), first);
});

test('Components: layers lowest first, then "No layer"; a component lists its namespaces, then its resources but its Namespace', () => {
  const result: ComponentsResult = {
    source: 'convention',
    layers: [
      { name: 'apps', order: 3, components: [podinfo] },
      { name: 'core', order: 1, components: [component('cert-manager', 'environments/core/cert-manager', { problems: { errors: 2, warnings: 1, others: 0 } })] },
    ],
    unlayered: [component('tools', 'tools')],
  };
  const tree = componentsTree(result, relative);
  assert.deepEqual(outline(tree), [
    'core — 1 component [layer]',
    '  cert-manager [component]',
    'apps — 1 component [layer]',
    '  podinfo — podinfo [component]',
    // The Namespace manifest is the namespace row (it opens the manifest), not a second row.
    '    podinfo — namespace [namespace]',
    '    token — Secret · podinfo [resource.secret]',
    '    podinfo — HelmRelease · podinfo [resource.helmrelease]',
    'No layer — 1 component [layer.none]',
    '  tools [component]',
  ]);
  assert.deepEqual(tree[0]!.problems, { errors: 2, warnings: 1, others: 0 }, 'a layer sums its components');
  const namespace = tree[1]!.children[0]!.children[0]!;
  assert.deepEqual(namespace.location, at('environments/apps/podinfo/namespace.yaml'), 'a namespace opens its manifest');
  assert.deepEqual(tree[1]!.children[0]!.graphTarget, { component: 'podinfo', layer: 'apps' });
});

test('Components: without layers the components are the top level', () => {
  const tree = componentsTree({ source: 'none', layers: [], unlayered: [component('web', 'kubernetes/apps/default/web', { namespaces: ['default'] })] }, relative);
  assert.deepEqual(outline(tree), ['web — default [component]', '  default — namespace [namespace]']);
  assert.equal(tree[0]!.children[0]!.location, undefined);
});
