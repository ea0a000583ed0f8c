// What each cluster applies, object by object, as the render engine (model/build) builds it: each
// Flux Kustomization of the cluster (and its bare root) with kustomize's and Flux's transformations
// and post-build substitution. The quota, resources, namespace and netpol rules and the budgets
// judge these objects; each keeps the source document it came from, for ranges and fixes.
//
// Incremental, on model.queries: 'cluster objects' is a query on the graph that read what every
// build of every cluster read; each build's objects ('cluster build', one per Flux Kustomization and
// cluster) is a query that read what its build read (model/build/cache.ts redoes a build whose
// reads changed). After a content edit only the builds that read the edited file are converted
// again, every object whose source and content are unchanged keeps its identity (each query gets
// the value it replaces), and a cluster whose objects keep their places is patched in place
// (`deltaOf`), so the namespace budgets redo only what the edit touched.
import { fluxRender, fluxSpec, readBuild, rootBuild } from './build/cache';
import { substitutionsOf } from './build/cluster';
import { namespaceSetBy, renderedNamespace } from './build/namespaces';
import type { BuildResult, Rendered } from './build/types';
import type { RepoModel } from './model';
import type { QueryReads } from './query';
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
  /** Set when patched in place from the previous result of the cluster (see deltaOf). */
  readonly delta?: ClusterObjectsDelta;
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
  /** The build's key: `root <folder>` or the Flux Kustomization's document and cluster. */
  owner: string;
  built: Built;
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
  clusters: ClusterState[];
  result: ClusterObjects[];
}

/** The query of each build's objects, by owner. */
const BUILT = 'cluster build';

/**
 * Every cluster's objects. After a content edit only the builds that read the edited file are
 * redone, and a cluster whose objects keep their identities is patched in place (see deltaOf).
 */
export function clusterObjects(model: RepoModel): ClusterObjects[] {
  const graph = model.graph;
  return model.queries.get<State>('cluster objects', 'all', [graph], (read, previous) => {
    const same = previous?.graph === graph ? previous : undefined;
    // A new graph asks for every build it has: the builds' objects no one asked for since are dropped.
    if (!same) model.queries.sweep(BUILT);
    const clusters = graph.clusters.map((cluster, i) => {
      // Each build's objects are read through `read`: what they read is read here too.
      const slots = slotsOf(model, graph, cluster, read);
      const before = same?.clusters[i];
      return before ? updateCluster(before, slots) : assemble(cluster, slots);
    });
    const result = same && clusters.every((c, i) => c.result === same.clusters[i].result) ? same.result : clusters.map((c) => c.result);
    return { graph, clusters, result };
  }).result;
}

/** The delta from the previous result of the same cluster, when the result was patched in place. */
export function deltaOf(result: ClusterObjects): ClusterObjectsDelta | undefined {
  return result.delta;
}

function objectKey(o: BuiltObject): string {
  return `${o.kind}/${o.namespace}/${o.name}/${o.apiVersion.split('/')[0]}`;
}

/** The objects of each build of a cluster: its bare root's, then each Flux Kustomization's. */
function slotsOf(model: RepoModel, graph: object, cluster: Cluster, read: QueryReads): Slot[] {
  const substitutions = substitutionsOf(model, cluster);
  const slots: Slot[] = [];
  const run = (owner: string, build: (read: QueryReads) => { result?: BuildResult; ks?: FluxKustomization; extra: readonly string[] }) => {
    const built = read.query<Built>(BUILT, owner, [graph], (read, previous) => {
      const { result, ks, extra } = build(read);
      readBuild(read, result?.reads ?? []);
      for (const path of extra) read.file(path);
      return builtOf(model, result, ks, extra, previous);
    });
    slots.push({ owner, built });
  };
  if (!cluster.kustomizations.some((ks) => ks.folder === cluster.folder)) {
    run(`root ${cluster.folder}`, () => ({ result: rootBuild(model, cluster.folder), extra: [] }));
  }
  for (const ks of cluster.kustomizations) {
    if (ks.folder === undefined || read.kind(ks.folder) !== 'folder') continue;
    run(`ks ${ks.resource.file}#${ks.resource.index} ${cluster.name}`, () => {
      const { variables, unknown, files } = substitutions(ks, fluxSpec(ks));
      return { result: fluxRender(model, ks, variables, unknown), ks, extra: files };
    });
  }
  return slots;
}

function assemble(cluster: Cluster, slots: Slot[]): ClusterState {
  const byKey = new Map<string, BuiltObject>();
  for (const slot of slots) for (const o of slot.built.objects) byKey.set(objectKey(o), o);
  return { cluster, slots, byKey, result: { cluster, objects: [...byKey.values()], unbuilt: unbuiltOf(slots) } };
}

function unbuiltOf(slots: readonly Slot[]): string[] {
  return slots.flatMap((slot) => (slot.built.unbuilt === undefined ? [] : [slot.built.unbuilt]));
}

/** The cluster with its builds' objects now: patched where they keep their places, else assembled anew. */
function updateCluster(state: ClusterState, slots: Slot[]): ClusterState {
  if (slots.length !== state.slots.length || slots.some((slot, i) => slot.owner !== state.slots[i].owner)) return assemble(state.cluster, slots);
  const replaced: Array<[BuiltObject, BuiltObject]> = [];
  let changed = false;
  let reassemble = false;
  slots.forEach(({ built: { objects, unbuilt } }, i) => {
    const slot = state.slots[i].built;
    if (objects === slot.objects && unbuilt === slot.unbuilt) return;
    changed = true;
    if (objects.length !== slot.objects.length || unbuilt !== slot.unbuilt) reassemble = true;
    for (let j = 0; !reassemble && j < objects.length; j++) {
      const before = slot.objects[j];
      const after = objects[j];
      if (before === after) continue;
      const key = objectKey(before);
      if (key !== objectKey(after)) reassemble = true;
      // Another build's object of the same key wins: nothing changes where it stands.
      else if (state.byKey.get(key) === before) replaced.push([before, after]);
    }
  });
  if (!changed) return state;
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
    delta: { previous: state.result, replaced },
  };
  return { cluster: state.cluster, slots, byKey: state.byKey, result };
}

/**
 * A build's objects as the rules see them: objects read from a document of the repository, and
 * the ConfigMaps and Secrets its generators make (see BuiltObject.generated). Objects equal to the
 * previous ones of the same build (same source, same content) keep their identity, so what is
 * derived from them is reused; the same result keeps the same objects.
 */
function builtOf(model: RepoModel, result: BuildResult | undefined, ks: FluxKustomization | undefined, extra: readonly string[], previous: Built | undefined): Built {
  if (!result) return { extra, objects: [] };
  const refused = result.error ?? (result.objects.length === 0 && result.unresolved.length > 0 ? result.unresolved[0] : undefined);
  const what = ks ? `Kustomization ${ks.namespace}/${ks.name}` : `the root ${result.folder || '.'}`;
  const unbuilt = refused && `${what}: ${'message' in refused ? refused.message : refused.reason}`;
  if (previous?.result === result) return { result, extra, objects: previous.objects, unbuilt };
  const before = previous?.objects ?? [];
  const objects: BuiltObject[] = [];
  for (const o of result.objects) {
    const source = model.file(o.source.file);
    const generator = o.source.index === undefined && source ? generatorResource(model, source, o) : undefined;
    const resource = o.source.index === undefined ? generator?.resource : source?.resources.find((r) => r.index === o.source.index);
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
      ...(generator ? { generated: { name: generator.name } } : {}),
    };
    const was = before[objects.length];
    objects.push(was && sameBuiltObject(was, next) ? was : next);
  }
  return { result, extra, objects, unbuilt };
}

interface Generator {
  resource: Resource;
  /** The generator entry's name (the object's, before kustomize's hash suffix). */
  name: string;
}

/**
 * The Resource that stands for a generated object: its kustomization file, a negative document
 * index of its own (no document: ranges fall back to `range`, the generator entry's name or the
 * entry), the generated object. The same Resource while the kustomization file and the object are
 * unchanged, so identities (and what is derived from them) hold across rebuilds: the generators
 * of a version of a file are a query on it, each made when a build first renders it.
 */
function generatorResource(model: RepoModel, source: YamlFile, o: Rendered): Generator | undefined {
  const nodePath = o.source.nodePath;
  if (!nodePath || typeof nodePath[1] !== 'number' || (nodePath[0] !== 'configMapGenerator' && nodePath[0] !== 'secretGenerator')) return undefined;
  const owner = source.resources[0];
  if (!owner) return undefined;
  const key = `${nodePath.join('/')}\n${o.kind}\n${o.name}`;
  const made = model.queries.get('generator resources', source, [], () => new Map<string, Generator>());
  const previous = made.get(key);
  if (previous && sameValue(previous.resource.object, o.object)) return previous;
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
  const generator = { resource, name: entry && typeof entry.name === 'string' ? entry.name : resource.name };
  made.set(key, generator);
  return generator;
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
