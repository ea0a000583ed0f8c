// Repository-relative paths: forward slashes, no leading './', '' for the root. The one place
// where file-system paths and repository paths meet.
import * as path from 'node:path';

export function toRepoPath(root: string, absolute: string): string {
  const relative = path.relative(root, absolute).split(path.sep).join('/');
  return relative === '.' ? '' : relative;
}

export function toAbsolute(root: string, repoPath: string): string {
  return path.join(root, ...repoPath.split('/'));
}

export function dirname(repoPath: string): string {
  const slash = repoPath.lastIndexOf('/');
  return slash < 0 ? '' : repoPath.slice(0, slash);
}

export function basename(repoPath: string): string {
  return repoPath.slice(repoPath.lastIndexOf('/') + 1);
}

/** Joins and normalises; returns undefined when the result leaves the repository. */
export function joinRepoPath(base: string, relative: string): string | undefined {
  const joined = path.posix.normalize(path.posix.join(base || '.', relative));
  if (joined === '..' || joined.startsWith('../') || path.posix.isAbsolute(joined)) return undefined;
  const trimmed = joined.replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed;
}

/** True when `child` is `parent` or lies below it. */
export function isWithin(child: string, parent: string): boolean {
  return parent === '' || child === parent || child.startsWith(parent + '/');
}

/** Every ancestor folder of a repository path, nearest first, ending with the root ''. */
export function ancestors(repoPath: string): string[] {
  const result: string[] = [];
  let current = dirname(repoPath);
  for (;;) {
    result.push(current);
    if (current === '') return result;
    current = dirname(current);
  }
}
