/** The folder where `.sops.yaml` lookup stops: the enclosing Git work tree, else the filesystem root. */
import { existsSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';

export function findRepoRoot(startDir: string): string {
  for (let dir = startDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return parse(startDir).root;
  }
}
