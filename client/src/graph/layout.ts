// Lays the dependency graph out with ELK in the extension host (the bundled ELK, no web worker)
// and returns what the webview draws: positioned nodes, edge paths and layer bands.
import type { ElkExtendedEdge, ELK } from 'elkjs/lib/elk-api';
import type { GraphEdge, GraphNode, GraphResult } from '../../../server/src/protocol';
import { BAND_PADDING, elkGraph, layerPartitions, nodeDetail } from './elkGraph';

export interface PositionedNode {
  id: string;
  kind: GraphNode['kind'];
  label: string;
  detail: string;
  layer?: string;
  /** Problem counts shown as a marker on the node. */
  problems?: GraphNode['problems'];
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PositionedEdge {
  from: string;
  to: string;
  kind: GraphEdge['kind'];
  upward: boolean;
  /** An SVG path from the dependent to its dependency. */
  path: string;
}

export interface LayerBand {
  label: string;
  y: number;
  height: number;
}

export interface PositionedGraph {
  width: number;
  height: number;
  nodes: PositionedNode[];
  edges: PositionedEdge[];
  bands: LayerBand[];
}

let elk: ELK | undefined;

async function elkInstance(): Promise<ELK> {
  // Loaded on first use: ELK is large and most sessions never open the graph. The bundle loads it
  // from dist/elk.js, built apart (esbuild.mjs), so activation never parses it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ELKConstructor: typeof import('elkjs/lib/elk.bundled.js').default = require('elkjs/lib/elk.bundled.js');
  elk ??= new ELKConstructor();
  return elk;
}

export async function layoutGraph(graph: GraphResult, options: { showCluster: boolean }): Promise<PositionedGraph> {
  if (graph.nodes.length === 0) return { width: 0, height: 0, nodes: [], edges: [], bands: [] };
  const partitions = layerPartitions(graph);
  const laidOut = await (await elkInstance()).layout(elkGraph(graph, partitions, options.showCluster));
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const nodes = (laidOut.children ?? []).map((child): PositionedNode => {
    const node = byId.get(child.id)!;
    return {
      id: node.id,
      kind: node.kind,
      label: node.label,
      detail: nodeDetail(node, options.showCluster),
      layer: node.layer,
      ...(node.problems ? { problems: node.problems } : {}),
      x: child.x ?? 0,
      y: child.y ?? 0,
      width: child.width ?? 0,
      height: child.height ?? 0,
    };
  });
  const width = laidOut.width ?? 0;
  const edges = positionedEdges(graph.edges, laidOut.edges ?? []);
  const bands = partitions.labels.map((label, partition) => bandOf(label, nodes.filter((node) => partitions.of.get(node.id) === partition)));
  return { width, height: laidOut.height ?? 0, nodes, edges, bands };
}

function positionedEdges(edges: readonly GraphEdge[], laidOut: readonly ElkExtendedEdge[]): PositionedEdge[] {
  return laidOut.map((elkEdge) => {
    const from = elkEdge.sources[0]!;
    const to = elkEdge.targets[0]!;
    // The same pair twice is drawn once; it points up if any of its originals does.
    const same = edges.filter((edge) => edge.from === from && edge.to === to);
    const upward = same.some((edge) => edge.upward);
    const kind = same.some((edge) => edge.kind === 'dependsOn') ? 'dependsOn' : 'applies';
    return { from, to, kind, upward, path: edgePath(elkEdge) };
  });
}

export function edgePath(edge: Pick<ElkExtendedEdge, 'sections'>): string {
  return (edge.sections ?? [])
    .map((section) => {
      const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
      return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ');
    })
    .join(' ');
}

function bandOf(label: string, nodes: readonly PositionedNode[]): LayerBand {
  const top = Math.min(...nodes.map((node) => node.y)) - BAND_PADDING.top;
  const bottom = Math.max(...nodes.map((node) => node.y + node.height)) + BAND_PADDING.bottom;
  return { label, y: round(top), height: round(bottom - top) };
}

const round = (n: number) => Math.round(n * 10) / 10;

