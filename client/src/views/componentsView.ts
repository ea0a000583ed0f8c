// The Components view: layer → component → namespaces and resources. Components outside any layer
// go under "No layer", or at the top when the repository has no layers at all.
import type { ComponentItem, ComponentsResult, LayerItem } from '../../../server/src/protocol';
import { plural, sumProblems } from './problems';
import { resourceNode, tooltipOf, type DescribeUri, type TreeNode } from './treeNodes';

export const COMPONENTS_VIEW_ID = 'gitopsGuardrails.components';
export const NO_LAYER_LABEL = 'No layer';

export function componentsTree(result: ComponentsResult, describeUri: DescribeUri): TreeNode[] {
  if (result.layers.length === 0) return result.unlayered.map((component) => componentNode('components', component, describeUri));
  const layers = [...result.layers].sort((a, b) => a.order - b.order).map((layer) => layerNode(layer, `layer:${layer.name}`, layer.name, describeUri));
  if (result.unlayered.length > 0) {
    layers.push(layerNode({ name: NO_LAYER_LABEL, order: Infinity, components: result.unlayered }, 'no-layer', undefined, describeUri));
  }
  return layers;
}

function layerNode(layer: LayerItem, id: string, layerName: string | undefined, describeUri: DescribeUri): TreeNode {
  const problems = sumProblems(layer.components.map((c) => c.problems));
  const source = layerName ? `Layer ${layerName}` : 'Components outside every layer';
  return {
    id,
    kind: 'layer',
    label: layer.name,
    description: plural(layer.components.length, 'component', 'components'),
    tooltip: tooltipOf([source], problems),
    contextValue: layerName ? 'layer' : 'layer.none',
    icon: layerName ? 'layers' : 'circle-slash',
    problems,
    expanded: true,
    children: layer.components.map((component) => componentNode(id, component, describeUri)),
  };
}

function componentNode(parentId: string, component: ComponentItem, describeUri: DescribeUri): TreeNode {
  const id = `${parentId}/component:${component.folder}`;
  const namespaces = component.namespaces.map((namespace): TreeNode => {
    const manifest = component.resources.find((r) => r.kind === 'Namespace' && r.name === namespace);
    return {
      id: `${id}/namespace:${namespace}`,
      kind: 'namespace',
      label: namespace,
      description: 'namespace',
      tooltip: tooltipOf([`Namespace ${namespace}`, manifest ? undefined : 'no Namespace manifest in this component']),
      contextValue: 'namespace',
      icon: 'symbol-namespace',
      location: manifest?.location,
      revealUri: manifest?.location.uri,
      children: [],
    };
  });
  return {
    id,
    kind: 'component',
    label: component.name,
    description: component.namespaces.join(', ') || undefined,
    tooltip: tooltipOf([`Component ${component.name}${component.layer ? ` (layer ${component.layer})` : ''}`, describeUri(component.folder)], component.problems),
    contextValue: 'component',
    icon: 'package',
    problems: component.problems,
    revealUri: component.folder,
    graphTarget: { component: component.name, layer: component.layer },
    // A Namespace manifest is its namespace's row (which opens it), not a second row of its own.
    children: [
      ...namespaces,
      ...component.resources.filter((r) => !(r.kind === 'Namespace' && component.namespaces.includes(r.name))).map((resource) => resourceNode(id, resource, describeUri)),
    ],
  };
}
