// What "Reveal in Graph" looks for, and which graph nodes match it. Pure.
import type { GraphNode, GraphResult, Location } from '../../../server/src/protocol';

/** A Flux object by the location of its manifest, or every node of a component. */
export type GraphTarget = { location: Location } | { component: string; layer?: string };

export function sameLocation(a: Location, b: Location): boolean {
  return a.uri === b.uri && a.range.start.line === b.range.start.line;
}

export function matchGraphNodes(graph: Pick<GraphResult, 'nodes'>, target: GraphTarget): GraphNode[] {
  if ('location' in target) return graph.nodes.filter((node) => sameLocation(node.location, target.location));
  return graph.nodes.filter((node) => node.component === target.component && (target.layer === undefined || node.layer === target.layer));
}
