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
  const gitignore = entries.find((e) => e.isFile() && e.name === '.gitignore');
  if (gitignore) {
    try {
      const text = await fs.readFile(path.join(root, folder, '.gitignore'), 'utf8');
      scopes = [...scopes, { folder, rules: ignore().add(text) }];
    } catch {
      // An unreadable .gitignore ignores nothing.
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
  for (const sub of subfolders) await walk(root, sub, scopes, out);
}

export function isIgnored(scopes: IgnoreScope[], repoPath: string, isFolder: boolean): boolean {
  for (const scope of scopes) {
    const relative = scope.folder ? repoPath.slice(scope.folder.length + 1) : repoPath;
    if (!relative || relative.startsWith('..')) continue;
    if (scope.rules.ignores(isFolder ? `${relative}/` : relative)) return true;
  }
  return false;
}

