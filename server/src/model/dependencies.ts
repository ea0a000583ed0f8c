// The one answer to "what does this dependsOn entry wait for": Kustomizations name Kustomizations,
// HelmReleases name HelmReleases, by their names and namespaces after kustomize and Flux (see
// graph.ts), within the clusters that apply the dependent. Rules, features and the layer edges
// read it; nothing else matches dependsOn names.
import { NameIndex } from './distance';
import type { RepoGraph } from './graph';
import type { DependencyRef, Resource } from './types';

export interface Dependent {
  resource: Resource;
  name: string;
  namespace: string;
  dependsOn: DependencyRef[];
}

export interface DependencyIndex {
  dependents: Dependent[];
  /** `namespace/name` → the objects of that identity, in every cluster. */
  byKey: Map<string, Dependent[]>;
  /** name → namespaces that have an object of that name. */
  byName: Map<string, string[]>;
}

export interface Dependencies {
  kustomizations: DependencyIndex;
  helmReleases: DependencyIndex;
  /** The index a dependent's entries resolve in (its own kind). */
  indexFor(dependent: Dependent): DependencyIndex;
  /**
   * What an entry waits for: the objects of its name and namespace that share a cluster with the
   * dependent (all of them when none does); a namespace unknown on either side matches any.
   * Empty for an unresolved entry or an unknown name.
   */
  targetsOf(dependent: Dependent, ref: DependencyRef): Dependent[];
  /** Names of the dependent's kind close to `name` (did-you-mean), through a trigram index. */
  similarNames(dependent: Dependent, name: string): string[];
}

export function deriveDependencies(graph: RepoGraph): Dependencies {
  const kustomizations = indexOf(graph.fluxKustomizations);
  const helmReleases = indexOf(graph.helmReleases);
  const indexFor = (d: Dependent) => (d.resource.kind === 'HelmRelease' ? helmReleases : kustomizations);
  const near = new Map<DependencyIndex, NameIndex>();
  return {
    kustomizations,
    helmReleases,
    indexFor,
    targetsOf(dependent, ref) {
      if (ref.unresolved) return [];
      const index = indexFor(dependent);
      let all = index.byKey.get(`${ref.namespace}/${ref.name}`) ?? [];
      // A namespace not known on either side ('': nothing sets it) matches any of the name.
      if (all.length === 0 && ref.namespace === '') all = (index.byName.get(ref.name) ?? []).flatMap((ns) => index.byKey.get(`${ns}/${ref.name}`) ?? []);
      if (all.length === 0) all = index.byKey.get(`/${ref.name}`) ?? [];
      all = [...new Set(all)];
      if (all.length <= 1) return all;
      const own = graph.clustersOf.get(dependent.resource.file);
      const shared = own ? all.filter((t) => [...(graph.clustersOf.get(t.resource.file) ?? [])].some((c) => own.has(c))) : [];
      return shared.length > 0 ? shared : all;
    },
    similarNames(dependent, name) {
      const index = indexFor(dependent);
      let names = near.get(index);
      if (!names) near.set(index, (names = new NameIndex([...index.byName.keys()])));
      return names
        .near(name, Math.max(1, Math.floor(name.length / 4)))
        .filter(([near]) => near !== name)
        .map(([near]) => near)
        .sort();
    },
  };
}

function indexOf(dependents: Dependent[]): DependencyIndex {
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
