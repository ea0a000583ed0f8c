// Lists the files of a workspace as Flux would see them: .git, node_modules and what .gitignore
// ignores are left out.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.terraform']);

export interface ScannedWorkspace {
  /** Every file, repository-relative. */
  files: string[];
  /** Folders (and .gitignore files) that could not be read, with why: reported, never skipped silently. */
  unreadable: UnreadablePath[];
}

export interface UnreadablePath {
  path: string;
  /** What could not be read and what that leaves unchecked, in one sentence. */
  message: string;
  /** The 0-based line (a skipped .gitignore pattern), else the whole path. */
  line?: number;
}

/** A .gitignore pattern longer than this is skipped: its regular expression would be absurd. */
const MAX_IGNORE_PATTERN = 4096;

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENAMETOOLONG: 'the path is longer than the system allows',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  EISDIR: 'it is a folder',
};

/** Why a file-system call failed, in words, without quoting the path (it may be very long). */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code ? `${REASONS[code] ?? 'it failed'} (${code})` : 'it failed';
}

interface IgnoreScope {
  folder: string;
  rules: Ignore;
}

export async function scanWorkspace(root: string): Promise<ScannedWorkspace> {
  const files: string[] = [];
  const unreadable: UnreadablePath[] = [];
  // The root itself must be readable: that is an I/O error of the caller, not a finding.
  await fs.readdir(root);
  await walk(root, '', [], files, unreadable);
  files.sort();
  unreadable.sort((a, b) => a.path.localeCompare(b.path));
  return { files, unreadable };
}

async function walk(root: string, folder: string, scopes: IgnoreScope[], out: string[], unreadable: UnreadablePath[]): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(path.join(root, folder), { withFileTypes: true });
  } catch (error) {
    unreadable.push({ path: folder, message: `This folder cannot be read: ${describeFileError(error)}. Nothing below it is checked.` });
    return;
  }
  if (entries.some((e) => e.isFile() && e.name === '.gitignore')) scopes = await withGitignore(root, folder, scopes, unreadable);
  const subfolders: string[] = [];
  for (const entry of entries) {
    const repoPath = folder ? `${folder}/${entry.name}` : entry.name;
    const kind = entryKind(entry, repoPath, scopes);
    if (kind === 'folder') subfolders.push(repoPath);
    else if (kind === 'file') out.push(repoPath);
  }
  for (const sub of subfolders) await walk(root, sub, scopes, out, unreadable);
}

/**
 * A .gitignore's patterns, each tried alone first: a pattern that is too long or that the matcher
 * refuses is skipped with a warning (never an exception that stops the scan, nor a message that
 * quotes a 5 MB pattern).
 */
function readIgnoreFile(text: string, file: string, unreadable: UnreadablePath[]): Ignore {
  const valid: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    if (line.length > MAX_IGNORE_PATTERN) {
      unreadable.push({ path: file, line: i, message: `This pattern is ${line.length} characters long, over the ${MAX_IGNORE_PATTERN} limit: it is skipped (it ignores nothing).` });
      return;
    }
    try {
      // Matching compiles the pattern's regular expression: a bad one throws here.
      ignore().add(line).ignores('a');
      valid.push(line);
    } catch (error) {
      const reason = String((error as Error)?.message ?? error).split('\n')[0];
      unreadable.push({ path: file, line: i, message: `This pattern is skipped (it ignores nothing): ${reason.length > 120 ? `${reason.slice(0, 120)}…` : reason}` });
    }
  });
  return ignore().add(valid);
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
      await walk(root, current, scopes, out, []);
      return out.sort();
    }
    folder = current;
  }
  return [];
}

/** `scopes` and the folder's own .gitignore, if it has one (what walk does on entering it). */
async function withGitignore(root: string, folder: string, scopes: IgnoreScope[], unreadable: UnreadablePath[] = []): Promise<IgnoreScope[]> {
  const name = folder ? `${folder}/.gitignore` : '.gitignore';
  let text: string;
  try {
    const file = path.join(root, folder, '.gitignore');
    if (!(await fs.lstat(file)).isFile()) return scopes;
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    // An unreadable .gitignore ignores nothing, and says so.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') unreadable.push({ path: name, message: `This file cannot be read: ${describeFileError(error)}. Its patterns ignore nothing.` });
    return scopes;
  }
  return [...scopes, { folder, rules: readIgnoreFile(text, name, unreadable) }];
}

export function isIgnored(scopes: IgnoreScope[], repoPath: string, isFolder: boolean): boolean {
  for (const scope of scopes) {
    const relative = scope.folder ? repoPath.slice(scope.folder.length + 1) : repoPath;
    if (!relative || relative.startsWith('..')) continue;
    if (scope.rules.ignores(isFolder ? `${relative}/` : relative)) return true;
  }
  return false;
}

