// Who can be named in dependsOn: Kustomizations by Kustomizations, HelmReleases by HelmReleases.
import type { RepoModel } from '../model/model';
import type { DependencyRef, Resource } from '../model/types';

export interface Dependent {
  resource: Resource;
  name: string;
  namespace: string;
  dependsOn: DependencyRef[];
}

export interface DependencyIndex {
  dependents: Dependent[];
  /** `namespace/name` → the objects of that identity. */
  byKey: Map<string, Dependent[]>;
  /** name → namespaces that have an object of that name. */
  byName: Map<string, string[]>;
}

const cache = new WeakMap<object, { kustomizations: DependencyIndex; helmReleases: DependencyIndex }>();

export function dependencyTargets(model: RepoModel): { kustomizations: DependencyIndex; helmReleases: DependencyIndex } {
  let targets = cache.get(model.graph);
  if (!targets) cache.set(model.graph, (targets = { kustomizations: index(model.graph.fluxKustomizations), helmReleases: index(model.graph.helmReleases) }));
  return targets;
}

function index(dependents: Dependent[]): DependencyIndex {
  const byKey = new Map<string, Dependent[]>();
  const byName = new Map<string, string[]>();
  for (const d of dependents) {
    const key = `${d.namespace}/${d.name}`;
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key)!.push(d);
    if (!byName.has(d.name)) byName.set(d.name, []);
    byName.get(d.name)!.push(d.namespace);
  }
  return { dependents, byKey, byName };
}
