// The kustomize inclusion graph: what each kustomization.yaml names, and which files a folder
// builds into (a folder without kustomization.yaml is applied whole, as Flux generates one).
import { isKustomizationFileName } from './parse';
import { basename, dirname, joinRepoPath } from './paths';
import { identifierOf } from './values';
import type { KustomizeDir, KustomizeEntry, KustomizeField, NodePath, YamlFile } from './types';

export type PathKind = 'file' | 'folder' | 'missing';

export interface FileTree {
  kindOf(repoPath: string): PathKind;
  /** Direct children of a folder: files and subfolders, repository-relative. */
  children(folder: string): { files: string[]; folders: string[] };
}

const LIST_FIELDS: KustomizeField[] = ['resources', 'bases', 'components', 'crds', 'patchesStrategicMerge', 'configurations', 'generators', 'transformers'];
const PATH_OBJECT_FIELDS: KustomizeField[] = ['patches', 'patchesJson6902', 'replacements'];
const GENERATOR_FIELDS: KustomizeField[] = ['configMapGenerator', 'secretGenerator'];

export const PATCH_FIELDS: ReadonlySet<KustomizeField> = new Set(['patches', 'patchesStrategicMerge', 'patchesJson6902']);
/** Fields whose targets are built as resources of the folder. */
export const RESOURCE_FIELDS: ReadonlySet<KustomizeField> = new Set(['resources', 'bases', 'components', 'crds']);

export function findKustomizationFile(tree: FileTree, folder: string): string | undefined {
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const candidate = folder ? `${folder}/${name}` : name;
    if (tree.kindOf(candidate) === 'file') return candidate;
  }
  return undefined;
}

export function isRemoteReference(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(value) || value.includes('?ref=') || /^git@/.test(value);
}

export function readKustomizeDir(folder: string, file: YamlFile | undefined, tree: FileTree): KustomizeDir {
  const dir: KustomizeDir = { folder, entries: [] };
  if (!file) return dir;
  dir.file = file.path;
  const resource = file.resources.find((r) => r.index === 0) ?? file.resources[0];
  if (!resource) return dir;
  dir.resource = resource;
  const object = resource.object;
  const namespace = identifierOf(object.namespace);
  if (namespace !== undefined) dir.namespace = namespace;
  const add = (field: KustomizeField, value: unknown, nodePath: NodePath) => {
    if (typeof value !== 'string' || identifierOf(value) === undefined || value.trim() === '') return;
    // An inline strategic-merge patch is YAML text, not a path.
    if (value.includes('\n')) return;
    if (isRemoteReference(value)) {
      dir.entries.push({ field, value, target: value, exists: 'remote', nodePath });
      return;
    }
    const target = joinRepoPath(folder, value.trim());
    const kind = target === undefined ? 'missing' : tree.kindOf(target);
    dir.entries.push({ field, value, target: target ?? value, exists: kind, nodePath });
  };
  for (const field of LIST_FIELDS) {
    const list = object[field];
    if (Array.isArray(list)) list.forEach((value, i) => add(field, value, [field, i]));
  }
  for (const field of PATH_OBJECT_FIELDS) {
    const list = object[field];
    if (Array.isArray(list)) list.forEach((entry, i) => entry && typeof entry === 'object' && add(field, entry.path, [field, i, 'path']));
  }
  for (const field of GENERATOR_FIELDS) {
    const list = object[field];
    if (!Array.isArray(list)) continue;
    list.forEach((generator, i) => {
      if (!generator || typeof generator !== 'object') return;
      for (const key of ['files', 'envs'] as const) {
        const values = generator[key];
        if (!Array.isArray(values)) continue;
        values.forEach((value: unknown, j: number) => {
          if (typeof value !== 'string') return;
          // `key=path` names the data key; the path is after the first '='.
          const pathPart = key === 'files' && value.includes('=') ? value.slice(value.indexOf('=') + 1) : value;
          add(field, pathPart, [field, i, key, j]);
        });
      }
    });
  }
  return dir;
}

/** What a folder builds into: manifests applied, patch files used, kustomization files read. */
export interface BuildResult {
  manifests: Set<string>;
  patches: Set<string>;
  kustomizationFiles: Set<string>;
  /** Other files a build reads (generator inputs). */
  inputs: Set<string>;
}

export function emptyBuild(): BuildResult {
  return { manifests: new Set(), patches: new Set(), kustomizationFiles: new Set(), inputs: new Set() };
}

/**
 * Follows kustomize inclusion from a folder (or single file) and adds what it reaches to `into`.
 * `seen` guards against cycles across the whole traversal.
 */
export function buildFolder(
  target: string,
  tree: FileTree,
  dirs: (folder: string) => KustomizeDir,
  into: BuildResult,
  seen: Set<string>,
): void {
  // Depth first in the order kustomize reads the entries, with an explicit stack of steps (a chain
  // of thousands of kustomizations must not overflow the call stack): a step builds a target or
  // records an entry, so everything is recorded in the order of a recursive walk.
  type Step = { target: string } | (() => void);
  const steps: Step[] = [{ target }];
  const pushInOrder = (next: Step[]) => {
    for (let i = next.length - 1; i >= 0; i--) steps.push(next[i]);
  };
  while (steps.length > 0) {
    const step = steps.pop()!;
    if (typeof step === 'function') {
      step();
      continue;
    }
    const { target } = step;
    if (seen.has(target)) continue;
    seen.add(target);
    const kind = tree.kindOf(target);
    if (kind === 'file') {
      if (isKustomizationFileName(basename(target))) steps.push({ target: dirname(target) });
      else if (/\.(ya?ml|json)$/i.test(target)) into.manifests.add(target);
      continue;
    }
    if (kind !== 'folder') continue;
    const dir = dirs(target);
    if (dir.file) {
      into.kustomizationFiles.add(dir.file);
      const next: Step[] = [];
      for (const entry of dir.entries) {
        if (entry.exists === 'remote' || entry.exists === 'missing') continue;
        if (PATCH_FIELDS.has(entry.field)) next.push(() => into.patches.add(entry.target));
        else if (RESOURCE_FIELDS.has(entry.field)) next.push({ target: entry.target });
        else next.push(() => into.inputs.add(entry.target));
      }
      pushInOrder(next);
      continue;
    }
    // Flux generates a kustomization for a plain folder: every manifest below it, and each
    // subfolder that has its own kustomization.yaml as a unit.
    const { files, folders } = tree.children(target);
    for (const file of files) if (/\.ya?ml$/i.test(file)) into.manifests.add(file);
    pushInOrder(folders.map((folder) => ({ target: folder })));
  }
}

