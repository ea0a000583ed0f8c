// The Clusters view: cluster → Flux Kustomizations in dependency order → components → resources.
import type { ClusterItem, ComponentItem, KustomizationItem } from '../../../server/src/protocol';
import { plural } from './problems';
import { resourceNode, tooltipOf, type DescribeUri, type TreeNode } from './treeNodes';

export const CLUSTERS_VIEW_ID = 'gitopsGuardrails.clusters';

export function clustersTree(clusters: readonly ClusterItem[], describeUri: DescribeUri): TreeNode[] {
  return clusters.map((cluster) => {
    const id = `cluster:${cluster.name}`;
    return {
      id,
      kind: 'cluster',
      label: cluster.name,
      description: plural(cluster.kustomizations.length, 'Kustomization', 'Kustomizations'),
      tooltip: tooltipOf([`Cluster ${cluster.name}`, describeUri(cluster.folder)], cluster.problems),
      contextValue: 'cluster',
      icon: 'server-environment',
      problems: cluster.problems,
      // No click action: a click on a cluster expands it (its root manifest is one level down).
      revealUri: cluster.folder,
      expanded: clusters.length === 1,
      // In the server's dependency order (features/tree.ts, through the model's dependsOn resolver).
      children: cluster.kustomizations.map((ks) => kustomizationNode(id, ks, describeUri)),
    };
  });
}

function kustomizationNode(parentId: string, ks: KustomizationItem, describeUri: DescribeUri): TreeNode {
  const id = `${parentId}/ks:${ks.namespace}/${ks.name}`;
  const target = ks.folder ? `${ks.path} → ${describeUri(ks.folder)}` : `${ks.path} (unresolved${ks.unresolvedReason ? `: ${ks.unresolvedReason}` : ''})`;
  return {
    id,
    kind: 'kustomization',
    label: ks.name,
    description: ks.folder ? `${ks.path} · ${plural(ks.resourceCount, 'resource', 'resources')}` : `${ks.path} · unresolved`,
    tooltip: tooltipOf(
      [`Flux Kustomization ${ks.namespace ? `${ks.namespace}/` : ''}${ks.name}${ks.namespace ? '' : ' (namespace unknown)'}`, `path: ${target}`, ks.dependsOn.length > 0 ? `dependsOn: ${ks.dependsOn.join(', ')}` : undefined],
      ks.problems,
    ),
    contextValue: ks.folder ? 'kustomization' : 'kustomization.unresolved',
    icon: ks.folder ? 'symbol-module' : 'question',
    problems: ks.problems,
    location: ks.location,
    revealUri: ks.folder,
    graphTarget: { location: ks.location },
    children: ks.components.map((component) => componentNode(id, component, describeUri)),
  };
}

function componentNode(parentId: string, component: ComponentItem, describeUri: DescribeUri): TreeNode {
  const id = `${parentId}/component:${component.folder}`;
  return {
    id,
    kind: 'component',
    label: component.name,
    description: component.layer,
    tooltip: tooltipOf([`Component ${component.name}${component.layer ? ` (layer ${component.layer})` : ''}`, describeUri(component.folder)], component.problems),
    contextValue: 'component',
    icon: 'package',
    problems: component.problems,
    revealUri: component.folder,
    graphTarget: { component: component.name, layer: component.layer },
    children: component.resources.map((resource) => resourceNode(id, resource, describeUri)),
  };
}
