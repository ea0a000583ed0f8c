// "Did you mean": the nearest existing folder or file to a path that does not exist.
import type { RepoModel } from '../model/model';
import { basename, dirname } from '../model/paths';
import { editDistance, NameIndex } from '../model/distance';
import { derived } from '../model/query';

export { editDistance };

/**
 * A folder with manifests whose path is a near miss of `missing` (a typo, a renamed sibling): among
 * the folders below the deepest existing ancestor's parent (siblings of the typo, four levels
 * down), the one of least edit distance (plus one when the last segment differs), then the
 * shortest, then the first in the tree's order; a candidate must be reasonably close to count.
 * The candidates come from an index of every folder (model/distance.ts), not from measuring each.
 */
export function closestFolder(model: RepoModel, missing: string): string | undefined {
  let anchor = dirname(missing);
  while (anchor !== '' && model.kindOf(anchor) !== 'folder') anchor = dirname(anchor);
  const base = anchor === '' ? '' : dirname(anchor);
  const baseDepth = base === '' ? 0 : base.split('/').length;
  const limit = Math.max(3, Math.floor(missing.length / 4));
  let best: string | undefined;
  let bestScore = Infinity;
  // A folder beyond the limit in distance scores beyond it too: only those within can win.
  for (const [folder, distance] of folderIndex(model).near(missing, limit)) {
    if (base !== '' && !folder.startsWith(`${base}/`)) continue;
    if (folder.split('/').length - baseDepth > 4 || !hasManifests(model, folder)) continue;
    const score = distance + (basename(folder) === basename(missing) ? 0 : 1);
    if (score < bestScore || (score === bestScore && best !== undefined && (folder.length < best.length || (folder.length === best.length && treeOrder(folder, best) < 0)))) {
      best = folder;
      bestScore = score;
    }
  }
  if (best !== undefined && bestScore <= limit) return best;
  return undefined;
}

/** Every folder of the model's tree, indexed once per tree (the children listing is new when the tree changes). */
function folderIndex(model: RepoModel): NameIndex {
  const top = model.children('');
  return model.queries.get('folder index', top, [], () => {
    const folders: string[] = [];
    const stack = [...top.folders];
    while (stack.length > 0) {
      const folder = stack.pop()!;
      folders.push(folder);
      stack.push(...model.children(folder).folders);
    }
    return new NameIndex(folders);
  });
}

/** The order of a depth-first walk of the tree, children sorted: segment by segment, a parent first. */
function treeOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

/** The deepest part of a missing path that exists as a folder ('' is the repository root: none). */
export function deepestExistingFolder(model: RepoModel, missing: string): string | undefined {
  for (let folder = dirname(missing); folder !== ''; folder = dirname(folder)) {
    if (model.kindOf(folder) === 'folder') return folder;
  }
  return undefined;
}

/** The file or folder beside a missing one whose name is nearest (files first, then folders, in order). */
export function closestFile(model: RepoModel, missing: string): string | undefined {
  const name = basename(missing);
  const limit = Math.max(2, Math.floor(name.length / 4));
  const index = siblingIndex(model.children(dirname(missing)));
  let best: number | undefined;
  let bestScore = Infinity;
  for (const [candidate, distance] of index.index.near(name, limit)) {
    const at = index.position.get(candidate)!;
    if (distance < bestScore || (distance === bestScore && at < best!)) {
      best = at;
      bestScore = distance;
    }
  }
  return best === undefined ? undefined : index.paths[best];
}

/** A folder's files and subfolders by their names, once per listing. */
const siblingIndex = derived((children: { files: string[]; folders: string[] }) => {
  const paths = children.files.concat(children.folders);
  const names = paths.map(basename);
  return { paths, position: new Map(names.map((n, i) => [n, i])), index: new NameIndex(names) };
});

function hasManifests(model: RepoModel, folder: string): boolean {
  return model.children(folder).files.some((f) => /\.ya?ml$/i.test(f)) || model.children(folder).folders.length > 0;
}
