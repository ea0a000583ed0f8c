// Cluster roots: the folders a bootstrap points Flux at, each with the evidence that makes it a
// root, and the tests that tell a conventional cluster folder from a dead file.
import { parsePlainDocuments } from './limits';
import type { FileTree } from './kustomize';
import type { BuildReach } from './build/types';
import { substituteKnown } from './build/envsubst';
import { ancestors, basename, isWithin, joinRepoPath } from './paths';
import type { Cluster, FluxKustomization, KustomizeDir, NodePath, Range, Resource, YamlFile } from './types';

/** A folder that some evidence says Flux syncs as a cluster's root. */
export interface RootCandidate {
  folder: string;
  kind: Cluster['rootKind'];
  /** The Kustomization applied first (the sync Kustomization itself), when there is one. */
  ks?: FluxKustomization;
  /** The file that makes the folder a root, and the node in it. */
  file?: string;
  nodePath?: NodePath;
  reason: string;
  /** Post-build variables this root sets for what it applies. */
  variables?: Record<string, string>;
}

export const DEAD_PATH = /(^|\/)(\.[^/]+|archive|archived|deprecated|old|backup)(\/|$)|-old\.ya?ml$/i;

/** A sync path (`./clusters/home`, `apps/`) as a folder; an OCI artifact's path is relative to an ancestor. */
function syncFolder(path: string, file: string, oci: boolean, tree: FileTree): string | undefined {
  if (!oci) {
    const folder = joinRepoPath('', path);
    return folder !== undefined && tree.kindOf(folder) === 'folder' ? folder : undefined;
  }
  for (const base of ancestors(file)) {
    const folder = joinRepoPath(base, path);
    if (folder !== undefined && folder !== '' && tree.kindOf(folder) === 'folder') return folder;
  }
  return undefined;
}

/**
 * Roots that a bootstrap names: the flux-system sync Kustomization, a FluxInstance, a HelmRelease
 * of the flux-instance or flux2-sync chart, and a sync Kustomization whose variable path a
 * kustomize patch sets once per cluster.
 */
export function bootstrapRoots(
  files: ReadonlyMap<string, YamlFile>,
  kustomizations: readonly FluxKustomization[],
  tree: FileTree,
  dirs: ReadonlyMap<string, KustomizeDir>,
  reach: (folder: string) => BuildReach | undefined,
): RootCandidate[] {
  const roots: RootCandidate[] = [];
  for (const ks of kustomizations) {
    if (ks.folder === undefined || DEAD_PATH.test(ks.resource.file)) continue;
    if (ks.name === 'flux-system' && ks.namespace === 'flux-system') {
      roots.push({
        folder: ks.folder,
        kind: 'flux-system',
        ks,
        file: ks.resource.file,
        nodePath: ['spec', 'path'],
        reason: `the flux-system sync Kustomization in ${ks.resource.file} applies ${show(ks.folder)}`,
      });
    }
  }
  for (const file of files.values()) {
    if (DEAD_PATH.test(file.path)) continue;
    for (const r of file.resources) {
      if (r.kind === 'FluxInstance') {
        const sync = r.object.spec?.sync;
        const folder = typeof sync?.path === 'string' ? syncFolder(sync.path, r.file, sync.kind === 'OCIRepository', tree) : undefined;
        if (folder !== undefined) {
          roots.push({ folder, kind: 'FluxInstance', file: r.file, nodePath: ['spec', 'sync', 'path'], reason: `FluxInstance ${r.name} in ${r.file} syncs ${show(folder)}` });
        }
      } else if (r.kind === 'HelmRelease' && r.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
        for (const sync of helmReleaseSyncPaths(r)) {
          const folder = syncFolder(sync.path, r.file, sync.oci, tree);
          if (folder === undefined) continue;
          roots.push({ folder, kind: 'HelmRelease', file: r.file, nodePath: sync.nodePath, reason: `HelmRelease ${r.name} (chart ${sync.chart}) in ${r.file} syncs ${show(folder)}` });
        }
      }
    }
  }
  roots.push(...patchedRoots(files, kustomizations, tree, dirs, reach));
  return roots;
}

/** Sync paths in the values of a HelmRelease of the flux-instance or flux2-sync chart. */
function helmReleaseSyncPaths(r: Resource): { path: string; oci: boolean; nodePath: NodePath; chart: string }[] {
  const spec = r.object.spec ?? {};
  const values = spec.values;
  if (!values || typeof values !== 'object') return [];
  const chartName = String(spec.chart?.spec?.chart ?? spec.chartRef?.name ?? '');
  const sync = values.instance?.sync;
  // flux-instance: `instance.sync` is the FluxInstance's spec.sync.
  if (sync && typeof sync === 'object' && typeof sync.path === 'string') {
    const oci = sync.kind === 'OCIRepository' || String(sync.url ?? '').startsWith('oci://');
    return [{ path: sync.path, oci, nodePath: ['spec', 'values', 'instance', 'sync', 'path'], chart: chartName || 'flux-instance' }];
  }
  if (!/(^|\/)flux2-sync$/.test(chartName)) return [];
  const result: { path: string; oci: boolean; nodePath: NodePath; chart: string }[] = [];
  if (typeof values.kustomization?.spec?.path === 'string') {
    result.push({ path: values.kustomization.spec.path, oci: false, nodePath: ['spec', 'values', 'kustomization', 'spec', 'path'], chart: chartName });
  }
  if (Array.isArray(values.kustomizationlist)) {
    values.kustomizationlist.forEach((k: any, i: number) => {
      if (typeof k?.spec?.path === 'string') result.push({ path: k.spec.path, oci: false, nodePath: ['spec', 'values', 'kustomizationlist', i, 'spec', 'path'], chart: chartName });
    });
  }
  return result;
}

/**
 * A sync Kustomization whose path is a template (`./clusters/${ENV}/${CLUSTER}`) and a kustomize
 * overlay per cluster that includes it with a patch setting its path or its variables: one root
 * per overlay, with the variables the patch gives.
 */
function patchedRoots(
  files: ReadonlyMap<string, YamlFile>,
  kustomizations: readonly FluxKustomization[],
  tree: FileTree,
  dirs: ReadonlyMap<string, KustomizeDir>,
  reach: (folder: string) => BuildReach | undefined,
): RootCandidate[] {
  const templated = kustomizations.filter((ks) => ks.folder === undefined && ks.path.includes('${') && ks.sourceRef && !DEAD_PATH.test(ks.resource.file));
  if (templated.length === 0) return [];
  const roots: RootCandidate[] = [];
  for (const dir of dirs.values()) {
    if (!dir.file || !dir.resource || DEAD_PATH.test(dir.folder)) continue;
    const patches = kustomizationPatches(dir, files);
    if (patches.length === 0) continue;
    const manifests = reach(dir.folder)?.manifests;
    for (const ks of templated) {
      if (!manifests?.has(ks.resource.file)) continue;
      let path: string | undefined;
      const variables: Record<string, string> = {};
      for (const patch of patches) {
        if (!patchTargets(patch.target, patch.object, ks)) continue;
        const change = patchedFields(patch.object);
        if (change.path !== undefined) path = change.path;
        Object.assign(variables, change.variables);
      }
      if (path === undefined && Object.keys(variables).length === 0) continue;
      const written = substituteKnown(path ?? ks.path, variables);
      const folder = written === undefined ? undefined : joinRepoPath('', written);
      if (folder === undefined || tree.kindOf(folder) !== 'folder') continue;
      const what = path !== undefined ? `spec.path to ${path}` : `the variables of ${ks.path} (${Object.entries(variables).map(([k, v]) => `${k}=${v}`).join(', ')})`;
      roots.push({
        folder,
        kind: 'patched-path',
        ks,
        file: dir.file,
        nodePath: [],
        reason: `${dir.file} includes the sync Kustomization ${ks.name} (${ks.resource.file}) and patches ${what}`,
        variables,
      });
    }
  }
  return roots;
}

interface KustomizePatch {
  target?: any;
  object: any;
}

/** The patches of a kustomization (inline or in files) as objects: a strategic merge or a JSON6902 list. */
function kustomizationPatches(dir: KustomizeDir, files: ReadonlyMap<string, YamlFile>): KustomizePatch[] {
  const object = dir.resource!.object;
  const result: KustomizePatch[] = [];
  const fromText = (text: string, target: any) => {
    // A patch that does not parse, or is over the document limits, is another rule's concern.
    for (const value of parsePlainDocuments(text) ?? []) {
      if (value && typeof value === 'object') result.push({ target, object: value });
    }
  };
  const fromFile = (path: unknown, target: any) => {
    if (typeof path !== 'string') return;
    const file = files.get(joinRepoPath(dir.folder, path) ?? '');
    for (const r of file?.resources ?? []) result.push({ target, object: r.object });
    // A JSON6902 list is not a resource: read it from the text.
    if (file && file.resources.length === 0) fromText(file.text, target);
  };
  for (const entry of [...(Array.isArray(object.patches) ? object.patches : []), ...(Array.isArray(object.patchesJson6902) ? object.patchesJson6902 : [])]) {
    if (!entry || typeof entry !== 'object') continue;
    if (typeof entry.patch === 'string') fromText(entry.patch, entry.target);
    else fromFile(entry.path, entry.target);
  }
  for (const entry of Array.isArray(object.patchesStrategicMerge) ? object.patchesStrategicMerge : []) {
    if (typeof entry === 'string' && entry.includes('\n')) fromText(entry, undefined);
    else fromFile(entry, undefined);
  }
  return result;
}

function patchTargets(target: any, object: any, ks: FluxKustomization): boolean {
  const name = target?.name ?? (Array.isArray(object) ? undefined : object?.metadata?.name);
  const kind = target?.kind ?? (Array.isArray(object) ? undefined : object?.kind);
  if (kind !== undefined && kind !== 'Kustomization') return false;
  if (target?.group !== undefined && target.group !== 'kustomize.toolkit.fluxcd.io') return false;
  if (typeof name !== 'string') return kind === 'Kustomization';
  try {
    return new RegExp(`^(?:${name})$`).test(ks.name);
  } catch {
    return name === ks.name;
  }
}

/** What a patch sets on a Kustomization: its path and its post-build variables. */
function patchedFields(object: any): { path?: string; variables: Record<string, string> } {
  const variables: Record<string, string> = {};
  let path: string | undefined;
  if (Array.isArray(object)) {
    for (const op of object) {
      if (!op || (op.op !== 'replace' && op.op !== 'add') || typeof op.path !== 'string') continue;
      if (op.path === '/spec/path' && typeof op.value === 'string') path = op.value;
      const variable = /^\/spec\/postBuild\/substitute\/(.+)$/.exec(op.path);
      if (variable && op.value !== undefined && typeof op.value !== 'object') variables[variable[1]] = String(op.value);
      const whole = op.path === '/spec/postBuild/substitute' ? op.value : op.path === '/spec/postBuild' ? op.value?.substitute : undefined;
      if (whole && typeof whole === 'object') for (const [k, v] of Object.entries(whole)) variables[k] = String(v);
    }
    return { path, variables };
  }
  const spec = object?.spec;
  if (typeof spec?.path === 'string') path = spec.path;
  const substitute = spec?.postBuild?.substitute;
  if (substitute && typeof substitute === 'object') for (const [k, v] of Object.entries(substitute)) variables[k] = String(v);
  return { path, variables };
}

/** Where a kustomization lists a path only in a comment: its file and the commented line's range. */
export interface CommentedOutEntry {
  file: string;
  range: Range;
}

/**
 * Repository paths that a kustomization lists only in a comment (`# - ./policies/ks.yaml`, a
 * trailing comment after it allowed): switched off, each with where it is commented out (the first
 * such line).
 */
export function commentedOutEntries(dirs: ReadonlyMap<string, KustomizeDir>, files: ReadonlyMap<string, YamlFile>): Map<string, CommentedOutEntry> {
  const result = new Map<string, CommentedOutEntry>();
  for (const dir of dirs.values()) {
    const file = dir.file ? files.get(dir.file) : undefined;
    if (!file) continue;
    file.text.split('\n').forEach((line, index) => {
      const entry = /^(\s*)(#+\s*-\s+(?:path:\s*)?(["']?)([^\s"'#]+)\3)(?:\s+#.*)?\s*$/.exec(line);
      if (!entry) return;
      const target = joinRepoPath(dir.folder, entry[4]);
      if (target === undefined || result.has(target)) return;
      const start = entry[1].length;
      result.set(target, { file: file.path, range: { start: { line: index, character: start }, end: { line: index, character: start + entry[2].length } } });
    });
  }
  return result;
}

/**
 * Whether the Flux Kustomizations a candidate folder builds reach outside it: a cluster's entry
 * point applies other trees, while a component's own Kustomizations deploy its subfolders.
 */
export function appliesOtherTrees(folder: string, kustomizations: readonly FluxKustomization[]): boolean {
  return kustomizations.some((ks) => ks.folder !== undefined && !isWithin(ks.folder, folder));
}

/** Folder names that say "Flux" or "cluster" rather than which cluster. */
const GENERIC_SEGMENTS = new Set(['flux', 'flux-system', 'flux-sync', 'fluxcd', 'cluster', 'clusters', 'config', 'sync', 'bootstrap', 'setup', 'kubernetes', 'k8s', 'kube', 'gitops']);

/** A cluster's name from its folder: the deepest segment that names it, longer where names collide. */
export function clusterName(folder: string, taken: ReadonlySet<string>): string {
  if (folder === '') return taken.has('root') ? 'root-' + taken.size : 'root';
  const segments = folder.split('/');
  const naming = segments.filter((s) => !GENERIC_SEGMENTS.has(s.toLowerCase()));
  const parts = naming.length > 0 ? naming : [basename(folder)];
  for (let k = 1; k <= parts.length; k++) {
    const candidate = parts.slice(parts.length - k).join('/');
    if (!taken.has(candidate)) return candidate;
  }
  return folder;
}

function show(folder: string): string {
  return folder === '' ? 'the repository root' : folder;
}
