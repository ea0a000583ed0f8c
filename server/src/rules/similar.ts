// "Did you mean": the nearest existing folder or file to a path that does not exist.
import type { RepoModel } from '../model/model';
import { basename, dirname } from '../model/paths';
import { editDistance } from '../model/distance';

export { editDistance };

/**
 * The existing folder closest to a missing one: the deepest existing ancestor's descendants are
 * compared by edit distance; a candidate must be reasonably close to count.
 */
/** A folder with manifests whose path is a near miss of `missing` (a typo, a renamed sibling). */
export function closestFolder(model: RepoModel, missing: string): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  // Candidates: the folders below the deepest existing ancestor's parent (siblings of the typo).
  let anchor = dirname(missing);
  while (anchor !== '' && model.kindOf(anchor) !== 'folder') anchor = dirname(anchor);
  const base = anchor === '' ? '' : dirname(anchor);
  const candidates: string[] = [];
  const collect = (folder: string, depth: number) => {
    for (const sub of model.children(folder).folders) {
      candidates.push(sub);
      if (depth < 3) collect(sub, depth + 1);
    }
  };
  collect(base, 0);
  for (const folder of candidates) {
    if (!hasManifests(model, folder)) continue;
    const score = editDistance(folder, missing) + (basename(folder) === basename(missing) ? 0 : 1);
    if (score < bestScore || (score === bestScore && best !== undefined && folder.length < best.length)) {
      best = folder;
      bestScore = score;
    }
  }
  if (best !== undefined && bestScore <= Math.max(3, Math.floor(missing.length / 4))) return best;
  return undefined;
}

/** The deepest part of a missing path that exists as a folder ('' is the repository root: none). */
export function deepestExistingFolder(model: RepoModel, missing: string): string | undefined {
  for (let folder = dirname(missing); folder !== ''; folder = dirname(folder)) {
    if (model.kindOf(folder) === 'folder') return folder;
  }
  return undefined;
}

export function closestFile(model: RepoModel, missing: string): string | undefined {
  const folder = dirname(missing);
  const name = basename(missing);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of model.children(folder).files.concat(model.children(folder).folders)) {
    const score = editDistance(basename(candidate), name);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

function hasManifests(model: RepoModel, folder: string): boolean {
  return model.children(folder).files.some((f) => /\.ya?ml$/i.test(f)) || model.children(folder).folders.length > 0;
}
