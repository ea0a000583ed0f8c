// The one place where document URIs become repository paths and back.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toRepoPath, toAbsolute } from './model/paths';

export function uriToAbsolute(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The repository path of a URI, or undefined when it lies outside the root. */
export function uriToRepoPath(root: string, uri: string): string | undefined {
  const absolute = uriToAbsolute(uri);
  if (!absolute) return undefined;
  const relative = path.relative(root, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return toRepoPath(root, absolute);
}

export function repoPathToUri(root: string, repoPath: string): string {
  return pathToFileURL(toAbsolute(root, repoPath)).toString();
}
