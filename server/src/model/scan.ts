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
  const gitignore = entries.find((e) => e.isFile() && e.name === '.gitignore');
  if (gitignore) {
    try {
      const text = await fs.readFile(path.join(root, folder, '.gitignore'), 'utf8');
      scopes = [...scopes, { folder, rules: readIgnoreFile(text, folder ? `${folder}/.gitignore` : '.gitignore', unreadable) }];
    } catch (error) {
      // An unreadable .gitignore ignores nothing.
      unreadable.push({ path: folder ? `${folder}/.gitignore` : '.gitignore', message: `This file cannot be read: ${describeFileError(error)}. Its patterns ignore nothing.` });
    }
  }
  const subfolders: string[] = [];
  for (const entry of entries) {
    if (ALWAYS_SKIPPED.has(entry.name)) continue;
    const repoPath = folder ? `${folder}/${entry.name}` : entry.name;
    const isFolder = entry.isDirectory();
    if (!isFolder && !entry.isFile()) continue;
    if (isIgnored(scopes, repoPath, isFolder)) continue;
    if (isFolder) subfolders.push(repoPath);
    else out.push(repoPath);
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

export function isIgnored(scopes: IgnoreScope[], repoPath: string, isFolder: boolean): boolean {
  for (const scope of scopes) {
    const relative = scope.folder ? repoPath.slice(scope.folder.length + 1) : repoPath;
    if (!relative || relative.startsWith('..')) continue;
    if (scope.rules.ignores(isFolder ? `${relative}/` : relative)) return true;
  }
  return false;
}

