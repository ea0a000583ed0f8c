// What each cluster applies, object by object, as the render engine (model/build) builds it: each
// Flux Kustomization of the cluster (and its bare root) with kustomize's and Flux's transformations
// and post-build substitution. The quota, resources, namespace and netpol rules and the budgets
// judge these objects; each keeps the source document it came from, for ranges and fixes.
//
// Incremental: after a content edit only the builds that read the edited file are looked at again
// (model/build/cache.ts redoes those whose reads changed), every object whose source and content
// are unchanged keeps its identity, and a cluster whose objects keep their places is patched in
// place (`deltaOf`), so the namespace budgets redo only what the edit touched.
import { fluxRender, fluxSpec, rootBuild } from './build/cache';
import { substitutionsOf } from './build/cluster';
import { namespaceSetBy, renderedNamespace } from './build/namespaces';
import type { BuildResult, Rendered } from './build/types';
import type { RepoModel } from './model';
import type { Cluster, FluxKustomization, Resource, YamlFile } from './types';

export interface BuiltObject {
  /** The source document. */
  resource: Resource;
  /** The parsed file it comes from: a new one whenever that file's text changed, ranges included. */
  source: YamlFile;
  /** The object as the cluster receives it. */
  object: any;
  apiVersion: string;
  kind: string;
  name: string;
  /** Effective namespace ('' for cluster-scoped objects and objects with none). */
  namespace: string;
  /** The kustomization.yaml or Flux Kustomization file whose namespace setting put it there. */
  namespaceSetBy?: string;
  /** Changed by a replicas entry or a patch on the way. */
  patched: boolean;
  /**
   * Set for an object a kustomization's configMapGenerator or secretGenerator makes (with
   * kustomize's hash suffix in `name`, and the references to it renamed): `name` is the entry's
   * name, the one manifests refer to. It has no document of its own: its `resource` stands for the
   * generator entry (`generatorResource`: the kustomization file, a negative document index, the
   * entry's range), and its data comes from the entry's literals and files, not from a manifest:
   * rules about manifests' text (secrets) do not judge it.
   */
  generated?: { name: string };
}

export interface ClusterObjects {
  cluster: Cluster;
  objects: BuiltObject[];
  /**
   * What the cluster applies that could not be built (kustomize refuses it, or what it reads
   * cannot be seen): its objects are missing above, so a rule concluding from an absence says less.
   */
  unbuilt: readonly string[];
}

/**
 * What the previous result of a cluster became: `replaced` lists each object that changed, with
 * its successor at the same place. Lets the namespace budgets update only what an edit touched.
 */
export interface ClusterObjectsDelta {
  previous: ClusterObjects;
  replaced: Array<[before: BuiltObject, after: BuiltObject]>;
}

interface Slot {
  /** The build's key: `root <folder>` or the Flux Kustomization's document. */
  owner: string;
  build: () => Built;
  objects: BuiltObject[];
  unbuilt?: string;
}

interface Built {
  result?: BuildResult;
  unbuilt?: string;
  /** Files read besides the build's own reads (substituteFrom sources). */
  extra: readonly string[];
  objects: BuiltObject[];
}

interface ClusterState {
  cluster: Cluster;
  slots: Slot[];
  byKey: Map<string, BuiltObject>;
  result: ClusterObjects;
}

interface State {
  graph: object;
  revision: number;
  clusters: ClusterState[];
  result: ClusterObjects[];
  /** Which slots (by owner) read each path: an edit looks at those slots only. */
  readers: Map<string, Set<string>>;
}
const states = new WeakMap<RepoModel, State>();
/** The reads of each owner's last build (and the extra files), for the readers index. */
const lastReads = new WeakMap<RepoModel, Map<string, Iterable<string>>>();

function readsOf(model: RepoModel): Map<string, Iterable<string>> {
  let map = lastReads.get(model);
  if (!map) lastReads.set(model, (map = new Map()));
  return map;
}

function indexReaders(model: RepoModel, readers: Map<string, Set<string>>, owner: string): void {
  for (const read of readsOf(model).get(owner) ?? []) {
    // A folder listing (`a/b/`) changes with a file created or deleted in it: keyed by the folder.
    const path = read.endsWith('/') ? read.slice(0, -1) : read;
    const set = readers.get(path);
    if (set) set.add(owner);
    else readers.set(path, new Set([owner]));
  }
}

/**
 * Every cluster's objects. After a content edit only the builds that read the edited file are
 * redone, and a cluster whose objects keep their identities is patched in place (see deltaOf).
 */
export function clusterObjects(model: RepoModel): ClusterObjects[] {
  const graph = model.graph;
  const state = states.get(model);
  const changes = state && state.graph === graph ? model.changedSince(state.revision) : undefined;
  if (!state || !changes) {
    const clusters = graph.clusters.map((cluster) => buildCluster(model, cluster));
    const readers = new Map<string, Set<string>>();
    for (const c of clusters) for (const slot of c.slots) indexReaders(model, readers, slot.owner);
    const used = new Set(clusters.flatMap((c) => c.slots.map((slot) => slot.owner)));
    for (const owner of readsOf(model).keys()) if (!used.has(owner)) readsOf(model).delete(owner);
    const fresh: State = { graph, revision: model.revision, clusters, result: clusters.map((c) => c.result), readers };
    states.set(model, fresh);
    return fresh.result;
  }
  if (changes.length === 0) return state.result;
  const owners = new Set<string>();
  for (const path of changes) {
    for (const owner of state.readers.get(path) ?? []) owners.add(owner);
    const slash = path.lastIndexOf('/');
    for (const owner of state.readers.get(slash < 0 ? '' : path.slice(0, slash)) ?? []) owners.add(owner);
  }
  state.revision = model.revision;
  if (owners.size === 0) return state.result;
  let any = false;
  state.clusters = state.clusters.map((c) => {
    const next = updateCluster(model, c, owners);
    for (const slot of next.slots) if (owners.has(slot.owner) || next.byKey !== c.byKey) indexReaders(model, state.readers, slot.owner);
    if (next !== c || next.result !== c.result) any = true;
    return next;
  });
  if (any) state.result = state.clusters.map((c) => c.result);
  return state.result;
}

/** The delta from the previous result of the same cluster, when the result was patched in place. */
export function deltaOf(result: ClusterObjects): ClusterObjectsDelta | undefined {
  return deltas.get(result);
}
const deltas = new WeakMap<ClusterObjects, ClusterObjectsDelta>();

function objectKey(o: BuiltObject): string {
  return `${o.kind}/${o.namespace}/${o.name}/${o.apiVersion.split('/')[0]}`;
}

function buildCluster(model: RepoModel, cluster: Cluster): ClusterState {
  const substitutions = substitutionsOf(model, cluster);
  const slots: Slot[] = [];
  const run = (owner: string, build: () => Built) => {
    const { objects, unbuilt } = build();
    slots.push({ owner, build, objects, unbuilt });
  };
  if (!cluster.kustomizations.some((ks) => ks.folder === cluster.folder)) {
    const owner = `root ${cluster.folder}`;
    run(owner, () => built(model, owner, rootBuild(model, cluster.folder), undefined, []));
  }
  for (const ks of cluster.kustomizations) {
    if (ks.folder === undefined || model.kindOf(ks.folder) !== 'folder') continue;
    const owner = `ks ${ks.resource.file}#${ks.resource.index} ${cluster.name}`;
    run(owner, () => {
      const { variables, unknown, files } = substitutions(ks, fluxSpec(ks));
      return built(model, owner, fluxRender(model, ks, variables, unknown), ks, files);
    });
  }
  return assemble(cluster, slots);
}

function assemble(cluster: Cluster, slots: Slot[]): ClusterState {
  const byKey = new Map<string, BuiltObject>();
  for (const slot of slots) for (const o of slot.objects) byKey.set(objectKey(o), o);
  return { cluster, slots, byKey, result: { cluster, objects: [...byKey.values()], unbuilt: unbuiltOf(slots) } };
}

function unbuiltOf(slots: readonly Slot[]): string[] {
  return slots.flatMap((slot) => (slot.unbuilt === undefined ? [] : [slot.unbuilt]));
}

/** Redoes the builds that read a changed file; patches the cluster's objects where they keep their places. */
function updateCluster(model: RepoModel, state: ClusterState, owners: ReadonlySet<string>): ClusterState {
  if (!state.slots.some((slot) => owners.has(slot.owner))) return state;
  const replaced: Array<[BuiltObject, BuiltObject]> = [];
  let reassemble = false;
  const slots = state.slots.map((slot) => {
    if (!owners.has(slot.owner)) return slot;
    const { objects, unbuilt } = slot.build();
    if (objects === slot.objects && unbuilt === slot.unbuilt) return slot;
    if (objects.length !== slot.objects.length || unbuilt !== slot.unbuilt) reassemble = true;
    for (let i = 0; !reassemble && i < objects.length; i++) {
      const before = slot.objects[i];
      const after = objects[i];
      if (before === after) continue;
      const key = objectKey(before);
      if (key !== objectKey(after)) reassemble = true;
      // Another build's object of the same key wins: nothing changes where it stands.
      else if (state.byKey.get(key) === before) replaced.push([before, after]);
    }
    return { ...slot, objects, unbuilt };
  });
  if (reassemble) return assemble(state.cluster, slots);
  if (replaced.length === 0) return { ...state, slots };
  for (const [before, after] of replaced) state.byKey.set(objectKey(before), after);
  // Patched results are read through their delta; the list itself is made only if asked for, which
  // happens before the next update changes byKey (only the latest result is ever grouped anew).
  const byKey = state.byKey;
  let objects: BuiltObject[] | undefined;
  const result: ClusterObjects = {
    cluster: state.cluster,
    unbuilt: state.result.unbuilt,
    get objects() {
      return (objects ??= [...byKey.values()]);
    },
  };
  deltas.set(result, { previous: state.result, replaced });
  return { cluster: state.cluster, slots, byKey: state.byKey, result };
}

/** The objects of each build result, and the last objects of each owner (for identities). */
const converted = new WeakMap<BuildResult, BuiltObject[]>();
const lastObjects = new WeakMap<RepoModel, Map<string, BuiltObject[]>>();

/**
 * A build's objects as the rules see them: objects read from a document of the repository, and
 * the ConfigMaps and Secrets its generators make (see BuiltObject.generated). Objects equal to the
 * owner's previous ones (same source, same content) keep their identity, so what is derived from
 * them is reused.
 */
function built(model: RepoModel, owner: string, result: BuildResult | undefined, ks: FluxKustomization | undefined, extra: readonly string[]): Built {
  const reads = readsOf(model);
  reads.set(owner, result ? (extra.length > 0 ? [...result.reads, ...extra] : result.reads) : extra);
  if (!result) return { extra, objects: [] };
  const refused = result.error ?? (result.objects.length === 0 && result.unresolved.length > 0 ? result.unresolved[0] : undefined);
  const what = ks ? `Kustomization ${ks.namespace}/${ks.name}` : `the root ${result.folder || '.'}`;
  const unbuilt = refused && `${what}: ${'message' in refused ? refused.message : refused.reason}`;
  let objects = converted.get(result);
  if (!objects) {
    let last = lastObjects.get(model);
    if (!last) lastObjects.set(model, (last = new Map()));
    const previous = last.get(owner) ?? [];
    const fresh: BuiltObject[] = [];
    for (const o of result.objects) {
      const source = model.file(o.source.file);
      const resource = o.source.index === undefined ? source && generatorResource(model, source, o) : source?.resources.find((r) => r.index === o.source.index);
      if (!source || !resource) continue;
      const next: BuiltObject = {
        resource,
        source,
        object: o.object,
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.name,
        namespace: renderedNamespace(o),
        namespaceSetBy: namespaceSetBy(o, ks),
        patched: o.chain.some((step) => step.field === 'patches' || step.field === 'replicas'),
        ...(o.source.index === undefined ? { generated: { name: generatorName(resource) } } : {}),
      };
      const before = previous[fresh.length];
      fresh.push(before && sameBuiltObject(before, next) ? before : next);
    }
    objects = fresh;
    converted.set(result, objects);
    last.set(owner, objects);
  }
  return { result, extra, objects, unbuilt };
}

const generatorResources = new WeakMap<YamlFile, Map<string, Resource>>();
/** The generator entry's name of each generator Resource. */
const generatorNames = new WeakMap<Resource, string>();

function generatorName(resource: Resource): string {
  return generatorNames.get(resource) ?? resource.name;
}

/**
 * The Resource that stands for a generated object: its kustomization file, a negative document
 * index of its own (no document: ranges fall back to `range`, the generator entry's name or the
 * entry), the generated object. The same Resource while the kustomization file and the object are
 * unchanged, so identities (and what is derived from them) hold across rebuilds.
 */
function generatorResource(model: RepoModel, source: YamlFile, o: Rendered): Resource | undefined {
  const nodePath = o.source.nodePath;
  if (!nodePath || typeof nodePath[1] !== 'number' || (nodePath[0] !== 'configMapGenerator' && nodePath[0] !== 'secretGenerator')) return undefined;
  const owner = source.resources[0];
  if (!owner) return undefined;
  const key = `${nodePath.join('/')}\n${o.kind}\n${o.name}`;
  let table = generatorResources.get(source);
  if (!table) generatorResources.set(source, (table = new Map()));
  const previous = table.get(key);
  if (previous && sameValue(previous.object, o.object)) return previous;
  const entry = owner.object?.[nodePath[0]]?.[nodePath[1]];
  const written = entry && typeof entry.namespace === 'string' ? entry.namespace : undefined;
  const resource: Resource = {
    file: source.path,
    // Two per entry index (ConfigMap, Secret): unique within the file, never a document's.
    index: -1 - (2 * nodePath[1] + (nodePath[0] === 'secretGenerator' ? 1 : 0)),
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.name,
    ...(written !== undefined ? { namespace: written } : {}),
    object: o.object,
    range: model.rangeOf(owner, [...nodePath, 'name']),
  };
  table.set(key, resource);
  if (entry && typeof entry.name === 'string') generatorNames.set(resource, entry.name);
  return resource;
}

function sameBuiltObject(a: BuiltObject, b: BuiltObject): boolean {
  return (
    a.resource === b.resource &&
    a.source === b.source &&
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.namespace === b.namespace &&
    a.namespaceSetBy === b.namespaceSetBy &&
    a.patched === b.patched &&
    (a.object === b.object || sameValue(a.object, b.object))
  );
}

/** Deep equality of plain YAML values. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => sameValue(x, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValue((a as any)[k], (b as any)[k]));
}
