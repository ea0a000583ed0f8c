// Runs node's test runner on every *.test.ts below the given folders (Node 20 has no --test globs).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const roots = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.test.ts')) files.push(full);
  }
};
for (const root of roots) if (existsSync(root)) walk(root);
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}
// The parse cache of every CLI and server the tests start goes to a folder of this run, not the user's.
const cacheDir = process.env.GITOPS_GUARDRAILS_CACHE_DIR || mkdtempSync(path.join(os.tmpdir(), 'gitops-guardrails-test-cache-'));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], { stdio: 'inherit', env: { ...process.env, GITOPS_GUARDRAILS_CACHE_DIR: cacheDir } });
if (!process.env.GITOPS_GUARDRAILS_CACHE_DIR) rmSync(cacheDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
