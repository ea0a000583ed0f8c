// Builds of the model's folders, kept while what they read is unchanged. An index from each path a
// build read (a folder listing under its folder) to the builds that read it turns the model's change
// log into the few builds an edit may have changed: only those are compared again, path by path, and
// rebuilt when a read differs. A YAML file is compared by identity (the model makes a new one
// whenever its text changes); other files by whether they exist (the model does not keep their
// text). Builds nothing asks for any more (a Kustomization whose spec.path changed) are dropped
// when the graph is derived again (newBuildGeneration), or when a newer render replaces them.
import { effectiveSpec } from '../flux';
import type { RepoModel } from '../model';
import type { FluxKustomization } from '../types';
import { buildKustomization } from './engine';
import { renderFluxKustomization } from './flux';
import { modelBuildInput } from './input';
import type { BuildResult } from './types';

interface Kept {
  result: BuildResult;
  /** Each path read, and its state when read. */
  seen: Map<string, unknown>;
  /** A path it read (or a folder above one) changed since it was last compared. */
  stale: boolean;
  /** The generation (see newBuildGeneration) in which it was last asked for. */
  generation: number;
  /** The model's revision when it was last asked for. */
  usedAt: number;
  /** Renders of one Flux Kustomization with other variables (see fluxRender). */
  family?: string;
}

interface Table {
  entries: Map<string, Kept>;
  /** Path read → keys of the builds that read it; a folder listing (`a/b/`) is under its folder (`a/b`). */
  readers: Map<string, Set<string>>;
  /** Render family → its keys. */
  families: Map<string, Set<string>>;
  /** The model's revision the stale marks are up to date with. */
  revision: number;
  generation: number;
}

const tables = new WeakMap<RepoModel, Table>();

function tableOf(model: RepoModel): Table {
  let table = tables.get(model);
  if (!table) tables.set(model, (table = { entries: new Map(), readers: new Map(), families: new Map(), revision: model.revision, generation: 0 }));
  return table;
}

function stateOf(model: RepoModel, path: string): unknown {
  if (path.endsWith('/')) {
    const { files, folders } = model.children(path.slice(0, -1));
    return `${files.join('\n')}\n\n${folders.join('\n')}`;
  }
  return model.file(path) ?? model.kindOf(path);
}

/** The index key of a read: a folder listing under its folder (the root's, `/`, under ''). */
function indexPath(read: string): string {
  return read.endsWith('/') ? read.slice(0, -1) : read;
}

/**
 * Marks stale the builds that read a path changed since the table's revision, or a folder above
 * one (its listing, or whether it exists, may have changed with a file created or deleted in it).
 * Every build when the change log no longer reaches back that far.
 */
function markChanges(model: RepoModel, table: Table): void {
  if (table.revision === model.revision) return;
  const changes = model.changedSince(table.revision);
  table.revision = model.revision;
  if (!changes) {
    for (const entry of table.entries.values()) entry.stale = true;
    return;
  }
  const marked = new Set<string>();
  for (const changed of changes) {
    let path = changed;
    for (;;) {
      if (marked.has(path)) break;
      marked.add(path);
      for (const key of table.readers.get(path) ?? []) table.entries.get(key)!.stale = true;
      if (path === '') break;
      const slash = path.lastIndexOf('/');
      path = slash < 0 ? '' : path.slice(0, slash);
    }
  }
}

function unchanged(model: RepoModel, entry: Kept): boolean {
  for (const [path, state] of entry.seen) if (stateOf(model, path) !== state) return false;
  return true;
}

function drop(table: Table, key: string): void {
  const entry = table.entries.get(key);
  if (!entry) return;
  table.entries.delete(key);
  for (const path of entry.seen.keys()) {
    const at = indexPath(path);
    const keys = table.readers.get(at);
    if (!keys) continue;
    keys.delete(key);
    if (keys.size === 0) table.readers.delete(at);
  }
  if (entry.family !== undefined) {
    const keys = table.families.get(entry.family);
    keys?.delete(key);
    if (keys?.size === 0) table.families.delete(entry.family);
  }
}

function keep(model: RepoModel, key: string, build: () => BuildResult, family?: string): BuildResult {
  const table = tableOf(model);
  markChanges(model, table);
  const previous = table.entries.get(key);
  if (previous && (!previous.stale || unchanged(model, previous))) {
    previous.stale = false;
    previous.generation = table.generation;
    previous.usedAt = model.revision;
    return previous.result;
  }
  const result = build();
  if (previous) drop(table, key);
  // A new render of a Kustomization replaces its renders with other variables no one asked for
  // at this revision (the variables' source was edited).
  if (family !== undefined) {
    for (const other of [...(table.families.get(family) ?? [])]) if (table.entries.get(other)!.usedAt < model.revision) drop(table, other);
  }
  const seen = new Map<string, unknown>();
  for (const path of result.reads) {
    seen.set(path, stateOf(model, path));
    const at = indexPath(path);
    const keys = table.readers.get(at);
    if (keys) keys.add(key);
    else table.readers.set(at, new Set([key]));
  }
  table.entries.set(key, { result, seen, stale: false, generation: table.generation, usedAt: model.revision, family });
  if (family !== undefined) {
    const keys = table.families.get(family);
    if (keys) keys.add(key);
    else table.families.set(family, new Set([key]));
  }
  return result;
}

/**
 * The model derives its graph anew (after a structural edit), which asks for the build of every
 * Flux Kustomization and root it has: the builds not asked for since the previous derivation are
 * referenced by nothing any more and are dropped (so an editing session does not accumulate them).
 */
export function newBuildGeneration(model: RepoModel): void {
  const table = tables.get(model);
  if (!table) return;
  for (const [key, entry] of [...table.entries]) if (entry.generation < table.generation) drop(table, key);
  table.generation++;
}

/** How many builds are kept for a model, and how many paths the index holds (tests). */
export function keptBuilds(model: RepoModel): { builds: number; paths: number } {
  const table = tables.get(model);
  return { builds: table?.entries.size ?? 0, paths: table?.readers.size ?? 0 };
}

/** The kustomize build of a folder of the model, reused while its reads are unchanged. */
export function modelBuild(model: RepoModel, folder: string): BuildResult {
  return keep(model, `folder ${folder}`, () => buildKustomization(modelBuildInput(model), folder));
}

/**
 * What a cluster's bare root applies (a root no Flux Kustomization of the repository applies,
 * e.g. the flux-system folder `flux bootstrap` points at): the folder as kustomize-controller
 * builds it, a plain folder through the kustomization Flux generates.
 */
export function rootBuild(model: RepoModel, folder: string): BuildResult {
  return keep(model, `root ${folder}`, () => renderFluxKustomization(modelBuildInput(model), { folder, source: { file: folder }, name: '', namespace: '', spec: {}, variables: {} }));
}

/**
 * What kustomize-controller builds for a Flux Kustomization before substitution: its folder with
 * the spec's targetNamespace, patches, components... (keyed by those fields, so it outlives a
 * rebuilt graph). Undefined when the folder is not known. `folder` replaces its folder where a
 * cluster resolves its templated path to another one (the graph's walk of that cluster).
 */
export function fluxBuild(model: RepoModel, ks: FluxKustomization, folder: string | undefined = ks.folder): BuildResult | undefined {
  if (folder === undefined) return undefined;
  const { build: spec, buildJson } = specOf(ks);
  // The document is part of the key: errors and patches point into it.
  const key = `flux ${folder}\n${ks.name}\n${ks.namespace}\n${ks.resource.file}#${ks.resource.index}\n${buildJson}`;
  return keep(model, key, () =>
    renderFluxKustomization(modelBuildInput(model), { folder, source: { file: ks.resource.file, index: ks.resource.index }, name: ks.name, namespace: ks.namespace, spec, variables: {} }),
  );
}

interface SpecOf {
  /** What it was made from. */
  own: unknown;
  inherited: unknown;
  targetNamespace: string | undefined;
  /** fluxSpec, and it without postBuild (what kustomize builds), and their JSON for keys. */
  spec: any;
  json?: string;
  build: any;
  buildJson: string;
}
const specs = new WeakMap<FluxKustomization, SpecOf>();

/** A Flux Kustomization's spec and its JSON, made again only when what it is made from changed. */
function specOf(ks: FluxKustomization): SpecOf {
  const own: unknown = ks.resource.object?.spec;
  let memo = specs.get(ks);
  if (!memo || memo.own !== own || memo.inherited !== ks.inheritedSpec || memo.targetNamespace !== ks.targetNamespace) {
    const spec = fluxSpec(ks);
    const { postBuild, ...build } = spec;
    void postBuild;
    memo = { own, inherited: ks.inheritedSpec, targetNamespace: ks.targetNamespace, spec, build, buildJson: JSON.stringify(build) };
    specs.set(ks, memo);
  }
  return memo;
}

/**
 * What a Flux Kustomization applies after post-build substitution with `variables` (see
 * cluster.ts substitutionsOf): the same as fluxBuild when it substitutes nothing.
 */
export function fluxRender(model: RepoModel, ks: FluxKustomization, variables: Record<string, string>, unknownVariables?: string): BuildResult | undefined {
  if (ks.folder === undefined) return undefined;
  const memo = specOf(ks);
  const spec = memo.spec;
  const substitutes = spec.postBuild && (Object.keys(variables).length > 0 || (Array.isArray(spec.postBuild.substituteFrom) && spec.postBuild.substituteFrom.length > 0));
  if (!substitutes) return fluxBuild(model, ks);
  memo.json ??= JSON.stringify(spec);
  const family = `render ${ks.folder}\n${ks.name}\n${ks.namespace}\n${ks.resource.file}#${ks.resource.index}\n${memo.json}`;
  const key = `${family}\n${JSON.stringify(variables)}\n${unknownVariables ?? ''}`;
  return keep(
    model,
    key,
    () => renderFluxKustomization(modelBuildInput(model), { folder: ks.folder!, source: { file: ks.resource.file, index: ks.resource.index }, name: ks.name, namespace: ks.namespace, spec, variables, unknownVariables }),
    family,
  );
}

/**
 * A Flux Kustomization's spec as kustomize-controller sees it: its own, the parent's spec.patches
 * applied, and the targetNamespace the parent's build left in it (a replacement or patch).
 */
export function fluxSpec(ks: FluxKustomization): any {
  const spec = { ...(effectiveSpec(ks) ?? {}) };
  if (ks.targetNamespace !== undefined) spec.targetNamespace = ks.targetNamespace;
  return spec;
}
