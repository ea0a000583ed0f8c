// Small builders of the server's tree and graph answers, for the client's unit tests.
import type { ComponentItem, GraphNode, KustomizationItem, Location, ProblemCounts, ResourceItem } from '../../../server/src/protocol';

export const NONE: ProblemCounts = { errors: 0, warnings: 0, others: 0 };

export function at(file: string, line = 0): Location {
  return { uri: `file:///repo/${file}`, range: { start: { line, character: 0 }, end: { line, character: 4 } } };
}

export function resource(kind: string, name: string, file: string, extra: Partial<ResourceItem> = {}): ResourceItem {
  return { kind, name, location: at(file), problems: NONE, ...extra };
}

export function component(name: string, folder: string, extra: Partial<ComponentItem> = {}): ComponentItem {
  return { name, folder: `file:///repo/${folder}`, namespaces: [], resources: [], problems: NONE, ...extra };
}

export function kustomization(name: string, extra: Partial<KustomizationItem> = {}): KustomizationItem {
  return {
    name,
    namespace: 'flux-system',
    location: at(`clusters/prod/${name}.yaml`),
    path: `./environments/${name}`,
    folder: `file:///repo/environments/${name}`,
    dependsOn: [],
    components: [],
    resourceCount: 0,
    problems: NONE,
    ...extra,
  };
}

export function graphNode(id: string, layer: string | undefined, extra: Partial<GraphNode> = {}): GraphNode {
  return { id, kind: 'kustomization', label: id, layer, cluster: 'prod', location: at(`clusters/prod/${id}.yaml`), ...extra };
}

/** URIs shown relative to the repository, as the views show them relative to the workspace. */
export const relative = (uri: string) => uri.replace('file:///repo/', '');
