#!/usr/bin/env node
// Ground truth for the render engine (server/src/model/build/): runs
// `kubectl kustomize --load-restrictor LoadRestrictionsNone` (how kustomize-controller builds) on
// every kustomization folder of ../shared/corpus/* and examples/*, and stores per repository one
// JSON file under test/render/goldens/ with, per folder, the normalised result:
//   { objects: [[id, sha256 of canonical JSON], ...] }   objects sorted by kind/namespace/name
//   { objects, text }                                    the full output too, for a small sample
//   { refused: message, remote?: true }                  kustomize refused (remote: needs the network)
// Folders whose kustomization is `kind: Component` are skipped (kustomize refuses to build them).
// The test (test/render/render.test.ts) reads these files; only this script needs kubectl.
// Usage: node scripts/render-goldens.mjs [repo-name-substring...]
import { execFile } from 'node:child_process';
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
  return repos.filter((r) => statDir(r.dir));
}

function statDir(path) {
  try {
    return readdirSync(path) && true;
  } catch {
    return false;
  }
}

function kustomizationFolders(repoDir) {
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

function kustomize(dir) {
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', dir], { maxBuffer: 256 << 20, timeout: 120_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout, stderr) =>
      resolve(error ? { error: (stderr || error.message).trim() } : { stdout }),
    );
  });
}

/**
 * Remote bases need the network, which kubectl has not here, and helmCharts need Helm (Flux does
 * not inflate them either): the engine answers `unresolved` for both, so they are marked `remote`.
 */
function isRemoteFailure(message) {
  return /git (clone|fetch)|failed to run .*git|dial tcp|no such host|https?:\/\/|github\.com|gitlab\.com|network is unreachable|unable to access|enable-helm|HelmChartInflationGenerator/i.test(message);
}

function sampled(folder) {
  return createHash('sha256').update(folder).digest()[0] < 8;
}

async function goldenOf(repo, folder) {
  const result = await kustomize(join(repo.dir, folder));
  if (result.error !== undefined) {
    // Absolute paths of this machine are cut down to repository-relative ones.
    const message = result.error
      .replace(/^E\d+ [\d:.]+\s+\d+ run\.go:\d+\] "command failed" err="(.*)"$/s, '$1')
      .split(repo.dir + '/').join('').split(repo.dir).join('.').slice(0, 600);
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

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
