// What each cluster applies, object by object, after kustomize and Flux have transformed it:
// kustomize `namespace:`, `replicas:`, strategic-merge and JSON 6902 patches, Flux
// `targetNamespace`, `spec.patches` and `postBuild.substitute`. The quota, resources and namespace
// rules judge these objects; each keeps the source document it came from, for ranges and fixes.
import type { RepoModel } from '../model/model';
import { effectiveSpec, postBuildVariables, substitute } from '../model/flux';
import { isKustomizationFileName } from '../model/parse';
import { parsePlainDocuments, plainValue } from '../model/limits';
import { basename, dirname, joinRepoPath } from '../model/paths';
import type { Cluster, FluxKustomization, Resource, YamlFile } from '../model/types';
import { identifierOf } from '../model/values';

export interface BuiltObject {
  /** The source document. */
  resource: Resource;
  /** The parsed file it comes from: a new one whenever that file's text changed, ranges included. */
  source: YamlFile;
  /** The object as the cluster receives it. */
  object: any;
  kind: string;
  name: string;
  /** Effective namespace ('' for cluster-scoped objects and objects with none). */
  namespace: string;
  /** The kustomization.yaml or Flux Kustomization file whose namespace setting put it there. */
  namespaceSetBy?: string;
  /** Changed by a replicas entry or a patch on the way. */
  patched: boolean;
}

export interface ClusterObjects {
  cluster: Cluster;
  objects: BuiltObject[];
}

/** Kinds without a namespace: kustomize and Flux never set one on them. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass', 'PersistentVolume',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'IngressClass', 'APIService', 'CSIDriver', 'RuntimeClass', 'VolumeSnapshotClass',
  'ClusterIssuer', 'ClusterPolicy', 'CiliumClusterwideNetworkPolicy', 'ClusterSecretStore', 'ClusterExternalSecret', 'GatewayClass',
  'Node', 'CSINode', 'VolumeAttachment', 'FluxInstance', 'ClusterPolicyReport', 'ClusterTask',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/**
 * What the previous result of a cluster became: `replaced` lists each object that changed, with
 * its successor at the same place. Lets the namespace budgets update only what an edit touched.
 */
export interface ClusterObjectsDelta {
  previous: ClusterObjects;
  replaced: Array<[before: BuiltObject, after: BuiltObject]>;
}

interface ClusterState {
  cluster: Cluster;
  /**
   * What the cluster applies, in order: its bare root (when no Kustomization applies it), then
   * each Flux Kustomization; `owner` is the key of the build (see trackedBuild).
   */
  slots: Array<{ owner: string; build: () => BuiltObject[]; objects: BuiltObject[] }>;
  byKey: Map<string, BuiltObject>;
  result: ClusterObjects;
}

interface State {
  graph: object;
  revision: number;
  clusters: ClusterState[];
  result: ClusterObjects[];
  /** Which builds (by owner) read each file: an edit looks at those builds only. */
  readers: Map<string, Set<string>>;
}
const states = new WeakMap<RepoModel, State>();

function indexReaders(model: RepoModel, readers: Map<string, Set<string>>, owner: string): void {
  for (const dep of buildsOf(model).get(owner)?.deps.keys() ?? []) {
    if (!dep.startsWith('file ')) continue;
    const path = dep.slice(5);
    const set = readers.get(path);
    if (set) set.add(owner);
    else readers.set(path, new Set([owner]));
  }
}

/**
 * Every cluster's objects. After a content edit only the builds that read the edited file are
 * redone, and a cluster whose objects keep their identities is patched in place (see delta).
 */
export function clusterObjects(model: RepoModel): ClusterObjects[] {
  const graph = model.graph;
  const state = states.get(model);
  const changes = state && state.graph === graph ? model.changedSince(state.revision) : undefined;
  if (!state || !changes) {
    const clusters = graph.clusters.map((cluster) => buildCluster(model, cluster));
    const readers = new Map<string, Set<string>>();
    for (const c of clusters) for (const slot of c.slots) indexReaders(model, readers, slot.owner);
    // Builds no cluster uses any more (a Kustomization removed or changed) are dropped.
    const used = new Set(clusters.flatMap((c) => c.slots.map((slot) => slot.owner)));
    for (const owner of buildsOf(model).keys()) if (!used.has(owner)) buildsOf(model).delete(owner);
    const fresh: State = { graph, revision: model.revision, clusters, result: clusters.map((c) => c.result), readers };
    states.set(model, fresh);
    return fresh.result;
  }
  if (changes.length === 0) return state.result;
  // The builds that read a changed file: only their slots are looked at.
  const owners = new Set<string>();
  for (const path of changes) for (const owner of state.readers.get(path) ?? []) owners.add(owner);
  state.revision = model.revision;
  if (owners.size === 0) return state.result;
  let any = false;
  state.clusters = state.clusters.map((c) => {
    const next = updateCluster(model, c, owners);
    // Rebuilt builds may read other files; a reassembled cluster (new byKey) is indexed whole.
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
  return `${o.kind}/${o.namespace}/${o.name}/${o.resource.apiVersion.split('/')[0]}`;
}

const isFluxKustomization = (o: BuiltObject) => o.kind === 'Kustomization' && o.resource.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/');

function buildCluster(model: RepoModel, cluster: Cluster): ClusterState {
  const slots: ClusterState['slots'] = [];
  // A parent's build can change a child Kustomization's spec (replacements, patches): keep it.
  const builtSpecs = new Map<Resource, any>();
  const run = (owner: string, build: () => BuiltObject[]) => {
    const objects = build();
    for (const o of objects) if (isFluxKustomization(o)) builtSpecs.set(o.resource, o.object?.spec ?? {});
    slots.push({ owner, build, objects });
  };
  if (!cluster.kustomizations.some((ks) => ks.folder === cluster.folder)) {
    const owner = `root ${cluster.folder}`;
    run(owner, () => trackedBuild(model, owner, () => buildTarget(model, cluster.folder, new Set())));
  }
  for (const ks of cluster.kustomizations) {
    if (ks.folder === undefined || model.kindOf(ks.folder) === 'missing') continue;
    const { owner, build } = kustomizationBuild(model, ks, builtSpecs.get(ks.resource)?.targetNamespace);
    run(owner, build);
  }
  return assemble(cluster, slots);
}

function assemble(cluster: Cluster, slots: ClusterState['slots']): ClusterState {
  const byKey = new Map<string, BuiltObject>();
  for (const slot of slots) for (const o of slot.objects) byKey.set(objectKey(o), o);
  return { cluster, slots, byKey, result: { cluster, objects: [...byKey.values()] } };
}

/** Redoes the builds that read a changed file; patches the cluster's objects where they keep their places. */
function updateCluster(model: RepoModel, state: ClusterState, owners: ReadonlySet<string>): ClusterState {
  const replaced: Array<[BuiltObject, BuiltObject]> = [];
  let reassemble = false;
  if (!state.slots.some((slot) => owners.has(slot.owner))) return state;
  const slots = state.slots.map((slot) => {
    if (!owners.has(slot.owner)) return slot;
    const objects = slot.build();
    if (objects === slot.objects) return slot;
    // A rebuilt Flux Kustomization may set a child's targetNamespace: the whole cluster again.
    if (objects.some(isFluxKustomization) || slot.objects.some(isFluxKustomization)) reassemble = true;
    if (objects.length !== slot.objects.length) reassemble = true;
    for (let i = 0; !reassemble && i < objects.length; i++) {
      const before = slot.objects[i];
      const after = objects[i];
      if (before === after) continue;
      const key = objectKey(before);
      if (key !== objectKey(after)) reassemble = true;
      // Another build's object of the same key wins: nothing changes where it stands.
      else if (state.byKey.get(key) === before) replaced.push([before, after]);
    }
    return { ...slot, objects };
  });
  if (reassemble) return buildCluster(model, state.cluster);
  if (replaced.length === 0) return { ...state, slots };
  for (const [before, after] of replaced) state.byKey.set(objectKey(before), after);
  // Patched results are read through their delta; the list itself is made only if asked for, which
  // happens before the next update changes byKey (only the latest result is ever grouped anew).
  const byKey = state.byKey;
  let objects: BuiltObject[] | undefined;
  const result: ClusterObjects = {
    cluster: state.cluster,
    get objects() {
      return (objects ??= [...byKey.values()]);
    },
  };
  deltas.set(result, { previous: state.result, replaced });
  return { cluster: state.cluster, slots, byKey: state.byKey, result };
}

interface Build {
  /** What the build read, by `file <path>`, `kind <path>`, `children <folder>`, `dir <folder>`, with what it saw. */
  deps: Map<string, unknown>;
  objects: BuiltObject[];
}

const buildTables = new WeakMap<RepoModel, Map<string, Build>>();

/**
 * Builds by owner key: `root <folder>` for a cluster's bare root, else the Flux Kustomization's
 * document, folder and the spec fields its build applies. Keyed by text rather than by the graph's
 * objects, so a build outlives a rebuilt graph when nothing it read changed.
 */
function buildsOf(model: RepoModel): Map<string, Build> {
  let table = buildTables.get(model);
  if (!table) buildTables.set(model, (table = new Map()));
  return table;
}

/** What the build under way read: files, what a path is, folder listings, kustomization folders. */
let deps: Map<string, unknown> | undefined;

function dependOn(key: string, value: unknown): void {
  deps?.set(key, value);
}

function listing(model: RepoModel, folder: string): string {
  const { files, folders } = model.children(folder);
  return `${files.join('\n')}\n\n${folders.join('\n')}`;
}

/** What a dependency is now, to compare with what a build saw. */
function currentDep(model: RepoModel, key: string): unknown {
  const space = key.indexOf(' ');
  const path = key.slice(space + 1);
  switch (key.slice(0, space)) {
    case 'file':
      return model.file(path);
    case 'kind':
      return model.kindOf(path);
    case 'children':
      return listing(model, path);
    default:
      return model.graph.kustomizeDirs.get(path)?.file ?? '';
  }
}

/**
 * A build reused while everything it read is unchanged, so an edit rebuilds only what applies the
 * edited file, and a rebuilt graph only what its change reaches. Objects equal to the previous
 * build's (same source, same content) keep their identity, so that what is derived from them is
 * reused too.
 */
function trackedBuild(model: RepoModel, owner: string, build: () => BuiltObject[]): BuiltObject[] {
  const table = buildsOf(model);
  const cached = table.get(owner);
  if (cached && [...cached.deps].every(([key, value]) => currentDep(model, key) === value)) return cached.objects;
  const outer = deps;
  deps = new Map();
  try {
    const objects = build().map((o, i) => {
      const before = cached?.objects[i];
      return before && sameBuiltObject(before, o) ? before : o;
    });
    table.set(owner, { deps, objects });
    return objects;
  } finally {
    deps = outer;
  }
}

function sameBuiltObject(a: BuiltObject, b: BuiltObject): boolean {
  // Transformed objects are fresh copies each build: equal contents count as the same object.
  return a.resource === b.resource && a.source === b.source && (a.object === b.object || sameValue(a.object, b.object)) && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace && a.namespaceSetBy === b.namespaceSetBy && a.patched === b.patched;
}

/** Deep equality of plain YAML values (what toJS and the transformations produce). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => sameValue(x, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValue((a as any)[k], (b as any)[k]));
}

/** What one Flux Kustomization applies, transformed: its build's owner key and the build. */
function kustomizationBuild(model: RepoModel, ks: FluxKustomization, builtTargetNamespace: unknown): { owner: string; build: () => BuiltObject[] } {
  const spec = effectiveSpec(ks);
  const targetNamespace = builtTargetNamespace ?? ks.targetNamespace ?? spec.targetNamespace;
  const variables = postBuildVariables(ks);
  const owner = `ks ${ks.resource.file}#${ks.resource.index} ${ks.folder}\n${JSON.stringify([targetNamespace ?? null, spec.patches ?? null, variables])}`;
  const build = () =>
    trackedBuild(model, owner, () => {
      const objects = buildTarget(model, ks.folder!, new Set());
      if (typeof targetNamespace === 'string' && targetNamespace) setNamespace(objects, targetNamespace, ks.resource.file);
      if (Array.isArray(spec.patches)) {
        for (const patch of spec.patches) if (patch && typeof patch.patch === 'string') applyPatchText(objects, patch.patch, patch.target);
      }
      if (Object.keys(variables).length > 0) for (const o of objects) o.object = substituteStrings(o.object, variables);
      for (const o of objects) {
        o.name = String(o.object?.metadata?.name ?? o.name);
        o.namespace = isClusterScoped(o.kind) ? '' : identifierOf(o.object?.metadata?.namespace) ?? '';
      }
      return objects;
    });
  return { owner, build };
}

/**
 * Builds a folder (kustomization or plain) or a single manifest into objects. `stack` guards
 * against cycles only: a base or component may be included by several kustomizations.
 */
function buildTarget(model: RepoModel, target: string, stack: Set<string>): BuiltObject[] {
  // Depth-bounded (a build transforms bottom-up, so it recurses): a chain of kustomizations deeper
  // than any real repository's is not built past the bound rather than overflowing the stack; the
  // graph (model/kustomize.ts, iterative) still knows every file it reaches.
  if (stack.has(target) || stack.size >= MAX_BUILD_DEPTH) return [];
  stack.add(target);
  try {
    return buildUnguarded(model, target, stack);
  } finally {
    stack.delete(target);
  }
}

/** How many kustomizations deep a build goes. */
const MAX_BUILD_DEPTH = 200;

/** `into.push(...more)` without spreading (a spread of 100,000 objects overflows the stack). */
function append<T>(into: T[], more: readonly T[]): void {
  for (const item of more) into.push(item);
}

function buildUnguarded(model: RepoModel, target: string, seen: Set<string>): BuiltObject[] {
  const kind = model.kindOf(target);
  dependOn(`kind ${target}`, kind);
  if (kind === 'file') {
    if (isKustomizationFileName(basename(target))) return buildTarget(model, dirname(target), seen);
    return objectsOf(model, target);
  }
  if (kind !== 'folder') return [];
  const dir = model.graph.kustomizeDirs.get(target);
  dependOn(`dir ${target}`, dir?.file ?? '');
  if (!dir?.file || !dir.resource) {
    dependOn(`children ${target}`, listing(model, target));
    const { files, folders } = model.children(target);
    const objects = files.filter((f) => /\.ya?ml$/i.test(f)).flatMap((f) => objectsOf(model, f));
    for (const folder of folders) append(objects, buildTarget(model, folder, seen));
    return objects;
  }
  // The folder's entries come from its kustomization file and what each entry's path is.
  dependOn(`file ${dir.file}`, model.file(dir.file));
  const objects: BuiltObject[] = [];
  for (const entry of dir.entries) {
    if (entry.exists !== 'remote') dependOn(`kind ${entry.target}`, model.kindOf(entry.target));
    if (entry.exists === 'missing' || entry.exists === 'remote') continue;
    if (entry.field === 'resources' || entry.field === 'bases' || entry.field === 'components' || entry.field === 'crds') {
      append(objects, buildTarget(model, entry.target, seen));
    }
  }
  const k = dir.resource.object;
  const at = (path: unknown) => (typeof path === 'string' ? joinRepoPath(target, path.trim()) : undefined);
  if (dir.namespace) setNamespace(objects, dir.namespace, dir.file);
  if (Array.isArray(k.replicas)) {
    for (const r of k.replicas) {
      if (!r || typeof r.name !== 'string' || typeof r.count !== 'number') continue;
      for (const o of objects) {
        if (['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].includes(o.kind) && o.object?.metadata?.name === r.name) {
          o.object = { ...o.object, spec: { ...(o.object.spec ?? {}), replicas: r.count } };
          o.patched = true;
        }
      }
    }
  }
  for (const r of Array.isArray(k.replacements) ? k.replacements : []) {
    if (!r || typeof r !== 'object') continue;
    if (typeof r.path === 'string') {
      const path = at(r.path);
      if (path) dependOn(`file ${path}`, model.file(path));
      for (const doc of path ? model.file(path)?.documents ?? [] : []) {
        if (doc.errors.length > 0) continue;
        const value = plainValue(doc);
        for (const entry of Array.isArray(value) ? value : [value]) applyReplacement(objects, entry);
      }
    } else applyReplacement(objects, r);
  }
  for (const p of Array.isArray(k.patches) ? k.patches : []) {
    if (!p || typeof p !== 'object') continue;
    const text = typeof p.patch === 'string' ? p.patch : fileText(model, at(p.path));
    if (text !== undefined) applyPatchText(objects, text, p.target);
  }
  for (const p of Array.isArray(k.patchesStrategicMerge) ? k.patchesStrategicMerge : []) {
    const text = typeof p === 'string' ? (p.includes('\n') ? p : fileText(model, at(p))) : undefined;
    if (text !== undefined) applyPatchText(objects, text, undefined);
  }
  for (const p of Array.isArray(k.patchesJson6902) ? k.patchesJson6902 : []) {
    if (!p || typeof p !== 'object') continue;
    const text = typeof p.patch === 'string' ? p.patch : fileText(model, at(p.path));
    if (text !== undefined) applyPatchText(objects, text, p.target);
  }
  return objects;
}

function objectsOf(model: RepoModel, path: string): BuiltObject[] {
  const file = model.file(path);
  dependOn(`file ${path}`, file);
  if (!file) return [];
  return file.resources
    .filter((r) => r.kind && r.apiVersion && !(r.kind === 'Kustomization' && r.apiVersion.startsWith('kustomize.config.k8s.io')))
    .map((r) => ({
      resource: r,
      source: file,
      // Shared with the model, never written: every transformation below copies what it changes.
      object: r.object,
      kind: r.kind,
      name: r.name,
      namespace: isClusterScoped(r.kind) ? '' : r.namespace ?? '',
      patched: false,
    }));
}

function fileText(model: RepoModel, path: string | undefined): string | undefined {
  if (path !== undefined) dependOn(`file ${path}`, model.file(path));
  return path === undefined ? undefined : model.file(path)?.text;
}

/** kustomize's namespace transformer: every namespaced object moves, and a Namespace is renamed. */
function setNamespace(objects: BuiltObject[], namespace: string, setBy: string): void {
  for (const o of objects) {
    if (o.kind === 'Namespace') {
      o.object = { ...o.object, metadata: { ...(o.object.metadata ?? {}), name: namespace } };
      o.name = namespace;
      o.namespaceSetBy = setBy;
    } else if (!isClusterScoped(o.kind)) {
      o.object = { ...o.object, metadata: { ...(o.object.metadata ?? {}), namespace } };
      o.namespace = namespace;
      o.namespaceSetBy = setBy;
    }
  }
}

/** A kustomize replacement: a value of one object copied into fields of others (dotted paths only). */
function applyReplacement(objects: BuiltObject[], replacement: any): void {
  const source = replacement?.source;
  if (!source || typeof source.kind !== 'string') return;
  const from = objects.find((o) => o.kind === source.kind && (source.name === undefined || o.object?.metadata?.name === source.name));
  const value = from ? getPath(from.object, String(source.fieldPath ?? 'metadata.name')) : undefined;
  if (value === undefined) return;
  const copied = new Set<BuiltObject>();
  for (const target of Array.isArray(replacement.targets) ? replacement.targets : []) {
    const select = target?.select ?? {};
    for (const o of objects) {
      if (!matches(o, { kind: select.kind, name: select.name, group: select.group, namespace: select.namespace })) continue;
      for (const fieldPath of Array.isArray(target.fieldPaths) ? target.fieldPaths : []) {
        const keys = String(fieldPath).split('.');
        const exists = getPath(o.object, String(fieldPath)) !== undefined;
        if (!exists && target.options?.create !== true) continue;
        // Written in place below: a deep copy, so no object of the model is ever changed.
        if (!copied.has(o)) {
          o.object = structuredClone(o.object);
          copied.add(o);
        }
        let node = o.object;
        for (const key of keys.slice(0, -1)) node = node[key] && typeof node[key] === 'object' ? node[key] : (node[key] = {});
        node[keys[keys.length - 1]] = structuredClone(value);
        o.patched = true;
      }
    }
  }
}

function getPath(object: any, dotted: string): unknown {
  let node = object;
  for (const key of dotted.split('.')) node = node && typeof node === 'object' ? node[key] : undefined;
  return node;
}

interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
}

/** A patch's text: strategic-merge documents, or a JSON 6902 operation list. */
function applyPatchText(objects: BuiltObject[], text: string, target: PatchTarget | undefined): void {
  const docs = parsePlainDocuments(text);
  if (!docs) return;
  for (const doc of docs) {
    if (Array.isArray(doc)) {
      if (!target) continue;
      for (const o of objects) if (matches(o, target)) applyJson6902(o, doc);
    } else if (doc && typeof doc === 'object') {
      const patch = doc as any;
      const self: PatchTarget = { kind: patch.kind, name: patch.metadata?.name };
      for (const o of objects) {
        if (!matches(o, target ?? self)) continue;
        const { metadata, apiVersion, kind, ...rest } = patch;
        const { name, namespace, ...metaRest } = metadata ?? {};
        o.object = strategicMerge(o.object, { ...rest, metadata: metaRest });
        o.patched = true;
      }
    }
  }
}

function matches(o: BuiltObject, target: PatchTarget): boolean {
  const full = (pattern: string, value: string) => {
    try {
      return new RegExp(`^(?:${pattern})$`).test(value);
    } catch {
      return pattern === value;
    }
  };
  if (target.kind && target.kind !== o.kind) return false;
  if (target.name && !full(target.name, String(o.object?.metadata?.name ?? ''))) return false;
  if (target.namespace && !full(target.namespace, String(o.object?.metadata?.namespace ?? ''))) return false;
  const [group, version] = o.resource.apiVersion.includes('/') ? o.resource.apiVersion.split('/') : ['', o.resource.apiVersion];
  if (target.group !== undefined && target.group !== group) return false;
  if (target.version && target.version !== version) return false;
  if (target.labelSelector) {
    const labels = o.object?.metadata?.labels ?? {};
    for (const term of target.labelSelector.split(',')) {
      const m = /^\s*([^=!\s]+)\s*(!=|==|=)\s*(\S*)\s*$/.exec(term);
      if (!m) continue;
      const equal = String(labels[m[1]] ?? '') === m[3] && m[1] in labels;
      if (m[2] === '!=' ? equal : !equal) return false;
    }
  }
  return true;
}

/** Strategic merge as far as budgets need it: maps merge, lists of named maps merge by name. */
export function strategicMerge(base: any, patch: any): any {
  if (patch === null) return undefined;
  if (Array.isArray(patch)) {
    if (!Array.isArray(base) || !patch.every((p) => p && typeof p === 'object' && typeof p.name === 'string')) return structuredClone(patch);
    const result = base.map((b: any) => b);
    for (const item of patch) {
      const index = result.findIndex((b: any) => b && b.name === item.name);
      if (item.$patch === 'delete') {
        if (index >= 0) result.splice(index, 1);
      } else if (index >= 0) result[index] = strategicMerge(result[index], item);
      else result.push(structuredClone(item));
    }
    return result;
  }
  if (!patch || typeof patch !== 'object') return patch;
  if (!base || typeof base !== 'object' || Array.isArray(base)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch, ...rest } = patch;
    return structuredClone(rest);
  }
  const result: any = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch') continue;
    const merged = strategicMerge(base[key], value);
    if (merged === undefined) delete result[key];
    else result[key] = merged;
  }
  return result;
}

function applyJson6902(o: BuiltObject, operations: unknown[]): void {
  // Operations write in place: work on a copy of the model's object.
  o.object = structuredClone(o.object);
  for (const op of operations as any[]) {
    if (!op || typeof op.path !== 'string' || !['add', 'replace', 'remove'].includes(op.op)) continue;
    const keys = op.path.split('/').slice(1).map((k: string) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (keys.length === 0) continue;
    let parent: any = o.object;
    for (const key of keys.slice(0, -1)) {
      if (parent == null || typeof parent !== 'object') break;
      if (parent[key] === undefined && op.op === 'add') parent[key] = {};
      parent = parent[key];
    }
    if (parent == null || typeof parent !== 'object') continue;
    const last = keys[keys.length - 1];
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index)) continue;
      if (op.op === 'add') parent.splice(index, 0, structuredClone(op.value));
      else if (op.op === 'replace') parent[index] = structuredClone(op.value);
      else parent.splice(index, 1);
    } else if (op.op === 'remove') delete parent[last];
    else parent[last] = structuredClone(op.value);
    o.patched = true;
  }
}

/** Flux post-build substitution of the variables a Kustomization sets; unknown ones stay as written. */
function substituteStrings(value: any, variables: Record<string, string>): any {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const replaced = value.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(?::?=[^}]*)?\}/g, (expr) => substitute(expr, variables) ?? expr);
    return /^\d+$/.test(replaced) && /^\$\{[^}]*\}$/.test(value) ? Number(replaced) : replaced;
  }
  if (Array.isArray(value)) return value.map((v) => substituteStrings(v, variables));
  if (value && typeof value === 'object') {
    const result: any = {};
    for (const [k, v] of Object.entries(value)) result[k] = substituteStrings(v, variables);
    return result;
  }
  return value;
}
