// What each kustomization.yaml names, entry by entry (for the rules and features that check or
// link its entries). Which files a folder's build reaches is the render engine's answer
// (model/build, BuildResult.reach), not this file's.
import { joinRepoPath } from './paths';
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
