// Data of the dependency graph view: Flux Kustomizations and HelmReleases per cluster, their
// dependsOn edges, and which edges point up the layers.
import type { RepoModel } from '../model/model';
import { layerOfPath } from '../model/layers';
import { isWithin } from '../model/paths';
import type { FluxKustomization, HelmRelease } from '../model/types';
import type { GraphEdge, GraphNode, GraphResult } from '../protocol';
import { countProblems, findingsOfFiles, findingsOfResource, type FindingsOf } from './problems';
import { locationOf } from './tree';

interface Placed {
  node: GraphNode;
  object: FluxKustomization | HelmRelease;
  order?: number;
}

/** With `findingsOf`, each node carries its problem counts (the graph's markers). */
export function dependencyGraph(model: RepoModel, findingsOf?: FindingsOf): GraphResult {
  const { graph } = model;
  const placed: Placed[] = [];
  const ids = new Set<string>();
  const place = (object: FluxKustomization | HelmRelease, kind: GraphNode['kind'], cluster: string | undefined) => {
    // A Kustomization belongs where it applies; a HelmRelease where it is written.
    const where = kind === 'kustomization' && 'folder' in object && object.folder !== undefined ? object.folder : object.resource.file;
    const layer = layerOfPath(model.layers.layers, where);
    const component = model.layers.components.filter((c) => isWithin(where, c.folder)).sort((a, b) => b.folder.length - a.folder.length)[0];
    let id = `${cluster ?? '-'}/${kind}/${object.namespace}/${object.name}`;
    for (let n = 2; ids.has(id); n++) id = `${cluster ?? '-'}/${kind}/${object.namespace}/${object.name}#${n}`;
    ids.add(id);
    const problems = findingsOf && countProblems([...findingsOfResource(object.resource, findingsOf), ...(kind === 'kustomization' && 'appliedFiles' in object ? findingsOfFiles(object.appliedFiles, findingsOf) : [])]);
    placed.push({
      node: { id, kind, label: object.name, cluster, layer: layer?.name, component: component?.name, location: locationOf(model, object.resource), ...(problems ? { problems } : {}) },
      object,
      order: layer?.order,
    });
  };
  const inAnyCluster = new Set<FluxKustomization | HelmRelease>();
  for (const cluster of graph.clusters) {
    for (const ks of cluster.kustomizations) {
      place(ks, 'kustomization', cluster.name);
      inAnyCluster.add(ks);
    }
    for (const hr of graph.helmReleases) {
      if (!graph.clustersOf.get(hr.resource.file)?.has(cluster.name)) continue;
      place(hr, 'helmrelease', cluster.name);
      inAnyCluster.add(hr);
    }
  }
  for (const ks of graph.fluxKustomizations) if (!inAnyCluster.has(ks)) place(ks, 'kustomization', undefined);
  for (const hr of graph.helmReleases) if (!inAnyCluster.has(hr)) place(hr, 'helmrelease', undefined);

  const edges: GraphEdge[] = [];
  const byObject = new Map<unknown, Placed[]>();
  for (const p of placed) byObject.set(p.object, [...(byObject.get(p.object) ?? []), p]);
  for (const from of placed) {
    for (const ref of from.object.dependsOn) {
      const to = model.dependencies
        .targetsOf(from.object, ref)
        .flatMap((target) => byObject.get(target) ?? [])
        .find((p) => p.node.cluster === from.node.cluster);
      if (!to) continue;
      const upward = from.order !== undefined && to.order !== undefined && from.order < to.order;
      edges.push({ from: from.node.id, to: to.node.id, kind: 'dependsOn', upward });
    }
  }
  // A HelmRelease hangs from the Kustomization that applies it, in the same cluster.
  for (const to of placed) {
    if (to.node.kind !== 'helmrelease') continue;
    for (const parent of graph.appliedBy.get(to.object.resource.file) ?? []) {
      const from = placed.find((p) => p.object === parent && p.node.cluster === to.node.cluster);
      if (from) edges.push({ from: from.node.id, to: to.node.id, kind: 'applies', upward: false });
    }
  }
  return { nodes: placed.map((p) => p.node), edges, layers: model.layers.layers.map((l) => l.name) };
}
