#!/usr/bin/env node
// Ground truth for the render engine (server/src/model/build/): runs
// `kubectl kustomize --load-restrictor LoadRestrictionsNone` (how kustomize-controller builds) on
// every kustomization folder of ../shared/corpus/*, examples/* and test/render/fixtures, and stores per repository one
// JSON file under test/render/goldens/ with, per folder, the normalised result:
//   { objects: [[id, sha256 of canonical JSON], ...] }   objects sorted by kind/namespace/name
//   { objects, text }                                    the full output too, for a small sample
//   { refused: message, remote?: true }                  kustomize refused (remote: needs the network)
// Folders whose kustomization is `kind: Component` are skipped (kustomize refuses to build them).
// The test (test/render/render.test.ts) reads these files; only this script needs kubectl.
// Usage: node scripts/render-goldens.mjs [repo-name-substring...]
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test/render/goldens');
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Repositories: each corpus checkout, and each examples/ repository. */
export function renderRepositories() {
  const repos = [];
  const corpus = join(root, '../shared/corpus');
  if (existsSync(corpus)) {
    for (const name of readdirSync(corpus).sort()) {
      if (existsSync(join(corpus, name, '.git')) || statDir(join(corpus, name))) repos.push({ name, dir: join(corpus, name) });
    }
  }
  for (const name of readdirSync(join(root, 'examples')).sort()) repos.push({ name: `examples__${name}`, dir: join(root, 'examples', name) });
  // Must-equal fixtures, one folder per semantic (test/render/fixtures/README.md).
  repos.push({ name: 'test__render-fixtures', dir: join(root, 'test/render/fixtures') });
  return repos.filter((r) => statDir(r.dir));
}

function statDir(path) {
  try {
    return readdirSync(path) && true;
  } catch {
    return false;
  }
}

export function kustomizationFolders(repoDir) {
  const folders = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const file = KUSTOMIZATION_FILES.find((name) => entries.some((e) => e.isFile() && e.name === name));
    if (file) {
      const text = readFileSync(join(dir, file), 'utf8');
      if (!/^kind:\s*["']?Component["']?\s*$/m.test(text)) folders.push(relative(repoDir, dir).split('\\').join('/'));
    }
    for (const e of entries) if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules') walk(join(dir, e.name));
  };
  walk(repoDir);
  return folders.sort();
}

/** JSON with keys sorted at every level: equal objects give equal text. */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function objectId(o) {
  return `${o?.kind ?? ''}|${o?.metadata?.namespace ?? ''}|${o?.metadata?.name ?? ''}|${o?.apiVersion ?? ''}`;
}

export function normalise(objects) {
  return objects
    .map((o) => [objectId(o), createHash('sha256').update(canonicalJson(o)).digest('hex').slice(0, 16)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
}

/**
 * `kubectl kustomize` as Flux builds. `offline`: in a network namespace of its own (`unshare -rn`,
 * where the system allows it), so a remote base fails at once instead of reaching the network.
 */
export function kustomize(dir, { offline = false } = {}) {
  const args = ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', dir];
  const [command, argv] = offline && canUnshare() ? ['unshare', ['-rn', 'kubectl', ...args]] : ['kubectl', args];
  return new Promise((resolve) => {
    execFile(command, argv, { maxBuffer: 256 << 20, timeout: 120_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout, stderr) =>
      resolve(error ? { error: (stderr || error.message).trim() } : { stdout }),
    );
  });
}

let unshareWorks;
function canUnshare() {
  if (unshareWorks === undefined) {
    try {
      execFileSync('unshare', ['-rn', 'true'], { stdio: 'ignore' });
      unshareWorks = true;
    } catch {
      unshareWorks = false;
    }
  }
  return unshareWorks;
}

/**
 * Remote bases need the network, which kubectl has not here, and helmCharts need Helm (Flux does
 * not inflate them either): the engine answers `unresolved` for both, so they are marked `remote`.
 */
export function isRemoteFailure(message) {
  return /git (clone|fetch)|failed to run .*git|dial tcp|no such host|https?:\/\/|github\.com|gitlab\.com|network is unreachable|unable to access|enable-helm|HelmChartInflationGenerator/i.test(message);
}

/** kubectl's error without its log prefix, absolute paths of this machine cut to repository-relative ones. */
export function kustomizeMessage(error, repoDir) {
  return error
    .replace(/^E\d+ [\d:.]+\s+\d+ run\.go:\d+\] "command failed" err="(.*)"$/s, '$1')
    .split(repoDir + '/').join('').split(repoDir).join('.').slice(0, 600);
}

function sampled(folder) {
  return createHash('sha256').update(folder).digest()[0] < 8;
}

async function goldenOf(repo, folder) {
  const result = await kustomize(join(repo.dir, folder), { offline: true });
  if (result.error !== undefined) {
    // Absolute paths of this machine are cut down to repository-relative ones.
    const message = kustomizeMessage(result.error, repo.dir);
    return isRemoteFailure(result.error) ? { refused: message, remote: true } : { refused: message };
  }
  const objects = parseAllDocuments(result.stdout)
    .map((d) => d.toJS({ maxAliasCount: 1000 }))
    .filter((o) => o != null);
  const golden = { objects: normalise(objects) };
  if (sampled(folder) && result.stdout.length < 6000) golden.text = result.stdout;
  return golden;
}

async function main() {
  const only = process.argv.slice(2);
  mkdirSync(outDir, { recursive: true });
  for (const repo of renderRepositories()) {
    if (only.length > 0 && !only.some((s) => repo.name.includes(s))) continue;
    const folders = kustomizationFolders(repo.dir);
    const goldens = {};
    let next = 0;
    const worker = async () => {
      while (next < folders.length) {
        const folder = folders[next++];
        goldens[folder] = await goldenOf(repo, folder);
      }
    };
    await Promise.all([worker(), worker()]);
    const sorted = Object.fromEntries(folders.map((f) => [f === '' ? '.' : f, goldens[f]]));
    // One line per folder: compact, and a diff shows which folders changed.
    const lines = Object.entries(sorted).map(([f, g]) => `  ${JSON.stringify(f)}: ${JSON.stringify(g)}`);
    writeFileSync(join(outDir, `${repo.name}.json`), `{"repo": ${JSON.stringify(repo.name)}, "folders": {\n${lines.join(',\n')}\n}}\n`);
    const refused = Object.values(sorted).filter((g) => g.refused !== undefined).length;
    console.log(`${repo.name}: ${folders.length} folders, ${refused} refused`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
