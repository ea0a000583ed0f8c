// Lists the files of a workspace as Flux would see them: .git, node_modules and what .gitignore
// ignores are left out.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.terraform']);

export interface ScannedWorkspace {
  /** Every file, repository-relative. */
  files: string[];
}

interface IgnoreScope {
  folder: string;
  rules: Ignore;
}

export async function scanWorkspace(root: string): Promise<ScannedWorkspace> {
  const files: string[] = [];
  await walk(root, '', [], files);
  files.sort();
  return { files };
}

async function walk(root: string, folder: string, scopes: IgnoreScope[], out: string[]): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(path.join(root, folder), { withFileTypes: true });
  } catch {
    return;
  }
  if (entries.some((e) => e.isFile() && e.name === '.gitignore')) scopes = await withGitignore(root, folder, scopes);
  const subfolders: string[] = [];
  for (const entry of entries) {
    const repoPath = folder ? `${folder}/${entry.name}` : entry.name;
    const kind = entryKind(entry, repoPath, scopes);
    if (kind === 'folder') subfolders.push(repoPath);
    else if (kind === 'file') out.push(repoPath);
  }
  for (const sub of subfolders) await walk(root, sub, scopes, out);
}

/**
 * The one rule for what the workspace holds: a file or a folder that is neither always skipped
 * nor ignored. Symbolic links are never followed (they may point outside the repository), and
 * sockets, pipes and devices are not files. The scan and the file watcher's events both ask this.
 */
function entryKind(entry: { name: string; isFile(): boolean; isDirectory(): boolean }, repoPath: string, scopes: IgnoreScope[]): 'file' | 'folder' | undefined {
  if (ALWAYS_SKIPPED.has(entry.name)) return undefined;
  const isFolder = entry.isDirectory();
  if (!isFolder && !entry.isFile()) return undefined;
  if (isIgnored(scopes, repoPath, isFolder)) return undefined;
  return isFolder ? 'folder' : 'file';
}

/**
 * The files the scan would list at `repoPath` now: the path itself if it is such a file, every
 * such file below it if it is such a folder, none otherwise (gone, a symbolic link, inside a
 * skipped or ignored folder, or below a symbolic link). A file watcher's event asks this, so an
 * event never brings in what the scan leaves out.
 */
export async function scanPath(root: string, repoPath: string): Promise<string[]> {
  return lookUp(root, repoPath, false);
}

/**
 * Whether the scan would list a file at `repoPath`: it is such a file, or it does not exist yet
 * and would be one (an editor's buffer of a file not saved yet). For the editor's open documents.
 */
export async function admitsFile(root: string, repoPath: string): Promise<boolean> {
  const found = await lookUp(root, repoPath, true);
  return found.length === 1 && found[0] === repoPath;
}

async function lookUp(root: string, repoPath: string, missingAsFile: boolean): Promise<string[]> {
  const parts = repoPath.split('/');
  if (!repoPath || parts.some((part) => part === '' || part === '.' || part === '..')) return [];
  let scopes: IgnoreScope[] = [];
  let folder = '';
  for (let i = 0; i < parts.length; i++) {
    scopes = await withGitignore(root, folder, scopes);
    const current = folder ? `${folder}/${parts[i]}` : parts[i];
    let stat: import('node:fs').Stats;
    try {
      stat = await fs.lstat(path.join(root, current));
    } catch {
      const last = i === parts.length - 1;
      return last && missingAsFile && entryKind({ name: parts[i], isFile: () => true, isDirectory: () => false }, current, scopes) ? [current] : [];
    }
    const kind = entryKind({ name: parts[i], isFile: () => stat.isFile(), isDirectory: () => stat.isDirectory() }, current, scopes);
    if (kind === undefined || (i < parts.length - 1 && kind !== 'folder')) return [];
    if (i === parts.length - 1) {
      if (kind === 'file') return [current];
      const out: string[] = [];
      await walk(root, current, scopes, out);
      return out.sort();
    }
    folder = current;
  }
  return [];
}

/** `scopes` and the folder's own .gitignore, if it has one (what walk does on entering it). */
async function withGitignore(root: string, folder: string, scopes: IgnoreScope[]): Promise<IgnoreScope[]> {
  let text: string;
  try {
    const file = path.join(root, folder, '.gitignore');
    if (!(await fs.lstat(file)).isFile()) return scopes;
    text = await fs.readFile(file, 'utf8');
  } catch {
    // An unreadable .gitignore ignores nothing.
    return scopes;
  }
  return [...scopes, { folder, rules: ignore().add(text) }];
}

export function isIgnored(scopes: IgnoreScope[], repoPath: string, isFolder: boolean): boolean {
  for (const scope of scopes) {
    const relative = scope.folder ? repoPath.slice(scope.folder.length + 1) : repoPath;
    if (!relative || relative.startsWith('..')) continue;
    if (scope.rules.ignores(isFolder ? `${relative}/` : relative)) return true;
  }
  return false;
}

