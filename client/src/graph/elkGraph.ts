// The ELK input of the dependency graph: one node per Flux Kustomization or HelmRelease, one edge
// per dependsOn, and one layout partition per layer so that layers stack as horizontal bands —
// highest on top, "no layer" above them all. Pure: no `vscode`, no ELK run.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { GraphNode, GraphResult } from '../../../server/src/protocol';

export const NODE_HEIGHT = 40;
const MIN_NODE_WIDTH = 120;
/** Roughly the advance of the webview's 12px UI font; the host cannot measure text. */
const CHAR_WIDTH = 7;
const NODE_PADDING_X = 14;
export const NO_LAYER_BAND = 'no layer';

/** Room above a band's first row for its label, and below its last row. */
export const BAND_PADDING = { top: 26, bottom: 12 } as const;

export interface GraphPartitions {
  /** Partition of every node, or none when the repository has no layers. */
  of: Map<string, number>;
  /** Band label per partition, top to bottom. */
  labels: string[];
}

/** The nodes of one cluster (and those of no cluster), with the edges between them. */
export function filterByCluster(graph: GraphResult, cluster: string | undefined): GraphResult {
  if (cluster === undefined) return graph;
  const nodes = graph.nodes.filter((node) => node.cluster === undefined || node.cluster === cluster);
  const ids = new Set(nodes.map((node) => node.id));
  return { ...graph, nodes, edges: graph.edges.filter((edge) => ids.has(edge.from) && ids.has(edge.to)) };
}

export function clustersOf(graph: GraphResult): string[] {
  return [...new Set(graph.nodes.flatMap((node) => (node.cluster === undefined ? [] : [node.cluster])))].sort();
}

/** The cluster with the most nodes (the first by name among equals): the one the graph opens on. */
export function largestCluster(graph: GraphResult): string | undefined {
  const sizes = new Map<string, number>();
  for (const node of graph.nodes) if (node.cluster !== undefined) sizes.set(node.cluster, (sizes.get(node.cluster) ?? 0) + 1);
  return [...sizes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/**
 * Layers as partitions, top to bottom: nodes outside every layer first, then the layers from the
 * highest (`graph.layers` lists the lowest first). Only layers that have a node get a partition.
 */
export function layerPartitions(graph: GraphResult): GraphPartitions {
  const of = new Map<string, number>();
  if (graph.layers.length === 0) return { of, labels: [] };
  const known = new Set(graph.layers);
  const bandOf = (node: GraphNode) => (node.layer !== undefined && known.has(node.layer) ? node.layer : NO_LAYER_BAND);
  const present = new Set(graph.nodes.map(bandOf));
  const labels = [NO_LAYER_BAND, ...[...graph.layers].reverse()].filter((label) => present.has(label));
  for (const node of graph.nodes) of.set(node.id, labels.indexOf(bandOf(node)));
  return { of, labels };
}

export function nodeDetail(node: GraphNode, showCluster: boolean): string {
  const kind = node.kind === 'helmrelease' ? 'HelmRelease' : 'Kustomization';
  return showCluster && node.cluster ? `${kind} · ${node.cluster}` : kind;
}

export function nodeWidth(label: string, detail: string): number {
  return Math.max(MIN_NODE_WIDTH, Math.ceil(Math.max(label.length, detail.length) * CHAR_WIDTH + 2 * NODE_PADDING_X));
}

/**
 * The ELK graph: layered, top to bottom, edges from the dependent to its dependency (so a sound
 * graph flows downwards and an upward edge is drawn against the flow). Edges to unknown nodes and
 * repeated edges are dropped; ELK rejects the first and would draw the second twice.
 */
export function elkGraph(graph: GraphResult, partitions: GraphPartitions, showCluster: boolean): ElkNode {
  const partitioned = partitions.labels.length > 0;
  const ids = new Set(graph.nodes.map((node) => node.id));
  const children: ElkNode[] = graph.nodes.map((node) => {
    const partition = partitions.of.get(node.id);
    return {
      id: node.id,
      width: nodeWidth(node.label, nodeDetail(node, showCluster)),
      height: NODE_HEIGHT,
      ...(partition === undefined ? {} : { layoutOptions: { 'elk.partitioning.partition': String(partition) } }),
    };
  });
  const seen = new Set<string>();
  const edges: ElkExtendedEdge[] = [];
  graph.edges.forEach((edge, index) => {
    const key = JSON.stringify([edge.from, edge.to]);
    if (!ids.has(edge.from) || !ids.has(edge.to) || seen.has(key)) return;
    seen.add(key);
    edges.push({ id: `e${index}`, sources: [edge.from], targets: [edge.to] });
  });
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.partitioning.activate': String(partitioned),
      // Partitions hold only within one connected component, and bands need them across all;
      // without layers, separate components are packed into rows instead of one long line.
      'elk.separateConnectedComponents': String(!partitioned),
      'elk.aspectRatio': '1.6',
      'elk.layered.spacing.nodeNodeBetweenLayers': '64',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.edgeNodeBetweenLayers': '20',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.padding': `[top=${BAND_PADDING.top + 12},left=24,bottom=${BAND_PADDING.bottom + 12},right=24]`,
    },
    children,
    edges,
  };
}
