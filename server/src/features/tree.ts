// Data of the Clusters and Components views: clusters → Kustomizations (in dependency order) →
// components → resources, and layers → components, each with its problem counts.
import { isFluxKustomization } from '../model/flux';
import { namespacesText, type RepoModel } from '../model/model';
import { isWithin } from '../model/paths';
import type { Cluster, Component, FluxKustomization, Resource } from '../model/types';
import type { ClusterItem, ComponentItem, ComponentsResult, KustomizationItem, Location, ResourceItem } from '../protocol';
import { repoPathToUri } from '../uris';
import { summarize } from './fluxSummary';
import { countProblems, filesByFolder, findingsOfFiles, findingsOfResource, type FindingsOf } from './problems';
import { selectionRange } from './symbols';

/** What the items of one request share: the findings and the files below each folder. */
interface ItemContext {
  model: RepoModel;
  findingsOf: FindingsOf;
  filesBelow: (folder: string) => readonly string[];
}

export function clusters(model: RepoModel, findingsOf: FindingsOf): ClusterItem[] {
  const context: ItemContext = { model, findingsOf, filesBelow: filesByFolder(model) };
  const appliedBy = new Map<string, string[]>();
  for (const [file, names] of model.graph.clustersOf) {
    for (const name of names) {
      let list = appliedBy.get(name);
      if (!list) appliedBy.set(name, (list = []));
      list.push(file);
    }
  }
  return model.graph.clusters.map((cluster) => {
    const root = cluster.rootFile ? cluster.kustomizations.find((ks) => ks.resource.file === cluster.rootFile) : undefined;
    return {
      name: cluster.name,
      folder: repoPathToUri(model.root, cluster.folder),
      rootLocation: root ? locationOf(model, root.resource) : undefined,
      kustomizations: dependencyOrder(model, cluster).map((ks) => kustomizationItem(context, ks, cluster.name)),
      problems: countProblems(findingsOfFiles(appliedBy.get(cluster.name) ?? [], findingsOf)),
    };
  });
}

export function components(model: RepoModel, findingsOf: FindingsOf): ComponentsResult {
  const { layers, components: all, source } = model.layers;
  const context: ItemContext = { model, findingsOf, filesBelow: filesByFolder(model) };
  const resources = [...model.resources()].filter((r) => !isKustomizeFile(r));
  const resourcesBelow = (c: Component) => resources.filter((r) => isWithin(r.file, c.folder));
  const item = (c: Component) => componentItem(context, c, resourcesBelow(c));
  return {
    source,
    layers: layers.map((l) => ({ name: l.name, order: l.order, components: l.components.map(item) })),
    unlayered: all.filter((c) => c.layer === undefined).map(item),
  };
}

/**
 * A cluster's Kustomizations, each after those it depends on (as the model's one resolver,
 * model/dependencies.ts, reads each dependsOn); otherwise in the order reached. The client shows
 * them in this order.
 */
export function dependencyOrder(model: RepoModel, cluster: Cluster): FluxKustomization[] {
  const members = new Set(cluster.kustomizations);
  const placed = new Set<FluxKustomization>();
  const ready = (ks: FluxKustomization) =>
    ks.dependsOn.every((ref) => model.dependencies.targetsOf(ks, ref).every((target) => target === ks || placed.has(target as FluxKustomization) || !members.has(target as FluxKustomization)));
  const pending = [...cluster.kustomizations];
  const ordered: FluxKustomization[] = [];
  while (pending.length > 0) {
    // The first one whose dependencies are all placed; in a cycle, the first one left.
    const index = Math.max(0, pending.findIndex(ready));
    const [next] = pending.splice(index, 1);
    placed.add(next);
    ordered.push(next);
  }
  return ordered;
}

/** A Flux Kustomization as one cluster applies it: in the namespace it lands in there ('' where the build cannot say). */
function kustomizationItem(context: ItemContext, ks: FluxKustomization, cluster: string): KustomizationItem {
  const { model, findingsOf } = context;
  const namespace = model.namespaceOf(ks.resource, cluster);
  const summary = summarize(model, ks);
  const own = findingsOfResource(ks.resource, findingsOf);
  const below = ks.folder !== undefined && summary.folderExists ? context.filesBelow(ks.folder) : [];
  const applied = findingsOfFiles(new Set([...below, ...ks.appliedFiles].filter((f) => f !== ks.resource.file)), findingsOf);
  return {
    name: ks.name,
    // None set: where Flux puts it (flux-system for an unset one, ks.namespace).
    namespace: namespace === undefined ? '' : namespace || ks.namespace,
    location: locationOf(model, ks.resource),
    path: ks.path,
    folder: ks.folder === undefined ? undefined : repoPathToUri(model.root, ks.folder),
    unresolvedReason: ks.unresolvedReason,
    dependsOn: ks.dependsOn.map((d) => (d.namespace && d.namespace !== ks.namespace ? `${d.namespace}/${d.name}` : d.name)),
    components: summary.components.map((c) =>
      componentItem(context, c, ks.appliedFiles.filter((f) => isWithin(f, c.folder)).flatMap((f) => model.file(f)?.resources ?? [])),
    ),
    resourceCount: summary.resourceCount,
    problems: countProblems([...own, ...applied]),
  };
}

function componentItem(context: ItemContext, component: Component, resources: Resource[]): ComponentItem {
  const { model, findingsOf } = context;
  return {
    name: component.name,
    layer: component.layer,
    folder: repoPathToUri(model.root, component.folder),
    namespaces: shownNamespaces(model, component, resources),
    resources: resources.map((r) => resourceItem(model, r, findingsOf)),
    problems: countProblems(findingsOfFiles(context.filesBelow(component.folder), findingsOf)),
  };
}

/**
 * The namespaces a component runs in, as the view lists them: not the ones where it only puts Flux
 * objects (a HelmRepository in flux-system, beside the app that uses it), unless it owns them.
 */
function shownNamespaces(model: RepoModel, component: Component, resources: readonly Resource[]): string[] {
  const fluxOnly = new Map<string, boolean>();
  for (const r of resources) {
    for (const { namespace } of model.placementsOf(r)) {
      if (!namespace) continue;
      const flux = /\.fluxcd\.io\//.test(r.apiVersion);
      fluxOnly.set(namespace, (fluxOnly.get(namespace) ?? true) && flux);
    }
  }
  return component.namespaces.filter((namespace) => component.ownNamespaces.includes(namespace) || fluxOnly.get(namespace) !== true);
}

function resourceItem(model: RepoModel, resource: Resource, findingsOf: FindingsOf): ResourceItem {
  return {
    kind: resource.kind,
    name: resource.name,
    namespace: namespacesText(model.placementsOf(resource)),
    location: locationOf(model, resource),
    problems: countProblems(findingsOfResource(resource, findingsOf)),
  };
}

export function locationOf(model: RepoModel, resource: Resource): Location {
  const file = model.file(resource.file);
  return { uri: repoPathToUri(model.root, resource.file), range: file ? selectionRange(file, resource) : resource.range };
}

/** A kustomization.yaml is how a folder is built, not a resource of it. */
function isKustomizeFile(resource: Resource): boolean {
  return resource.kind === 'Kustomization' && !isFluxKustomization(resource);
}
