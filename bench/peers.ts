// `npm run bench:peers`: the dense synthetic repository through the floor, our CLI (workers on
// and off), our language server, @monokle/validation and yaml-language-server, interleaved (one
// of each per round, BENCH_RUNS rounds), each a process of its own measured from outside (CPU =
// user + system of that process, every thread; bench/measure.ts). Prints the table of issue 15
// for every size in BENCH_FILES (comma-separated, default 5000). Offline: yaml-language-server
// gets a local Kubernetes schema built from our generated definitions; Monokle runs its offline
// core plugins.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isYamlPath } from '../server/src/model/parse';
import { scanWorkspace } from '../server/src/model/scan';
import { ensureRepo, type BenchProfile } from './generate';
import { loadAverage, markdownTable, mb, median, ms, percentile, runNode, seconds, type ProcessRun } from './measure';
import { runLanguageServer, type LspRun } from './peers/lsp';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');
const SERVER = path.join(PROJECT_ROOT, 'dist', 'server.js');
const YLS = path.join(PROJECT_ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const YLS_VERSION = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'yaml-language-server', 'package.json'), 'utf8')).version;
const MONOKLE_VERSION = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules', '@monokle', 'validation', 'package.json'), 'utf8')).version;
const EDITS = 6;
/** The CLI's flag to skip the cache, when this build has one (the baseline before the cache had none). */
const NO_CACHE = readFileSync(CLI, 'utf8').includes('--no-cache') ? ['--no-cache'] : [];
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 600_000);

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssBytes: number;
  editMs?: number;
  note?: string;
}

/** One JSON Schema for every built-in kind: `if apiVersion/kind then $ref`, what a local Kubernetes schema for yaml-language-server looks like. */
function kubernetesSchema(dir: string): string {
  const generated = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'server', 'src', 'schema', 'generated', 'k8s-definitions.json'), 'utf8'));
  const allOf = Object.entries(generated.kinds as Record<string, string>).map(([gvk, definition]) => {
    const slash = gvk.lastIndexOf('/');
    return {
      if: { properties: { apiVersion: { const: gvk.slice(0, slash) }, kind: { const: gvk.slice(slash + 1) } }, required: ['apiVersion', 'kind'] },
      then: { $ref: `#/definitions/${definition}` },
    };
  });
  const file = path.join(dir, 'kubernetes.json');
  writeFileSync(file, JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', definitions: generated.definitions, allOf }));
  return file;
}

const fromProcess = (run: ProcessRun, note?: string): Sample => {
  if (run.status !== 0 && run.status !== 1) throw new Error(`exit ${run.status}: ${run.stderr.slice(0, 2000)}`);
  return { wallMs: run.wallMs, cpuMs: run.cpuMs, rssBytes: run.rssBytes, note };
};
const fromLsp = (run: LspRun): Sample => ({ wallMs: run.readyMs, cpuMs: run.cpuMs, rssBytes: run.rssBytes, editMs: median(run.editLatencies) });

async function benchSize(fileCount: number, profile: BenchProfile, runs: number, scratch: string): Promise<string> {
  const repo = await ensureRepo(fileCount, undefined, profile);
  const yamlFiles = (await scanWorkspace(repo.root)).files.filter(isYamlPath);
  const list = path.join(scratch, `files-${fileCount}.txt`);
  writeFileSync(list, yamlFiles.join('\n'));
  const schema = kubernetesSchema(scratch);
  const app = yamlFiles.find((f) => f.endsWith('/app.yaml') && readFileSync(path.join(repo.root, f), 'utf8').includes('replicas: 2'));
  if (!app) throw new Error('no app.yaml with "replicas: 2" (the dense profile is needed)');
  const appText = readFileSync(path.join(repo.root, app), 'utf8');
  const namespaceFile = path.posix.join(path.posix.dirname(app), 'namespace.yaml');
  const missing = yamlFiles.find((f) => f.endsWith('/kustomization.yaml') && readFileSync(path.join(repo.root, f), 'utf8').includes('missing.yaml'))!;
  const cacheDir = path.join(scratch, 'cache');

  const tools: [string, () => Promise<Sample>][] = [
    ['floor: read + `parseAllDocuments` (one thread)', async () => fromProcess(await runNode([path.join(__dirname, 'floor.cjs'), repo.root, list]))],
    ['`gitops-guardrails check --format json`', async () => fromProcess(await runNode([CLI, 'check', repo.root, '--format', 'json', ...NO_CACHE]))],
    ['same, parse workers off', async () => fromProcess(await runNode([CLI, 'check', repo.root, '--format', 'json', ...NO_CACHE], { GITOPS_GUARDRAILS_PARSE_WORKERS: '0' }))],
    ...(NO_CACHE.length === 0 ? [] : ([[
      'same, warm cache (second run)',
      async () => {
        rmSync(cacheDir, { recursive: true, force: true });
        await runNode([CLI, 'check', repo.root, '--format', 'json'], { GITOPS_GUARDRAILS_CACHE_DIR: cacheDir });
        return fromProcess(await runNode([CLI, 'check', repo.root, '--format', 'json'], { GITOPS_GUARDRAILS_CACHE_DIR: cacheDir }));
      },
    ]] as [string, () => Promise<Sample>][])),
    [
      'gitops-guardrails language server (until indexed; edit → diagnostic)',
      async () =>
        fromLsp(
          await runLanguageServer({
            args: [SERVER, '--stdio'],
            root: repo.root,
            env: { GITOPS_GUARDRAILS_CACHE_DIR: path.join(scratch, 'no-server-cache') },
            firstOpen: { file: missing, text: readFileSync(path.join(repo.root, missing), 'utf8'), ready: (d) => d.some((x) => x.code === 'kustomize/missing-resource') },
            ready: (s) => s.until(() => (s.notifications.get('gitopsGuardrails/modelChanged') ?? 0) > 0, TIMEOUT_MS, 'the first modelChanged'),
            edit: {
              file: app,
              texts: [appText, appText.replace('maxReplicas: 4', 'maxReplicas: 500')],
              reached: (s, variant) => (s.diagnostics.get(s.uri(namespaceFile)) ?? []).some((d) => d.code === 'quota/over-budget') === (variant === 1),
              count: EDITS,
            },
            timeoutMs: TIMEOUT_MS,
          }),
        ),
    ],
    [`@monokle/validation ${MONOKLE_VERSION} (4 offline plugins)`, async () => fromProcess(await runNode([path.join(__dirname, 'peers', 'monokle.mjs'), repo.root, list]))],
    [
      `yaml-language-server ${YLS_VERSION} (until all diagnostics; edit → diagnostic)`,
      async () => {
        const settings = {
          yaml: { validate: true, hover: false, completion: false, format: { enable: false }, schemaStore: { enable: false }, kubernetesCRDStore: { enable: false }, schemas: { [pathToFileURL(schema).href]: '*.yaml' } },
        };
        return fromLsp(
          await runLanguageServer({
            args: [YLS, '--stdio'],
            root: repo.root,
            configuration: (section) => (section === 'yaml' ? settings.yaml : section ? {} : settings),
            settings,
            ready: async (s) => {
              for (const file of yamlFiles) s.open(file, readFileSync(path.join(repo.root, file), 'utf8'));
              await s.until(() => yamlFiles.every((f) => s.diagnostics.has(s.uri(f))), TIMEOUT_MS, 'diagnostics of every file');
            },
            edit: {
              file: app,
              texts: [appText, appText.replace('replicas: 2', 'replicas: "two"')],
              reached: (s, variant) => ((s.diagnostics.get(s.uri(app)) ?? []).length > 0) === (variant === 1),
              count: EDITS,
            },
            timeoutMs: TIMEOUT_MS,
          }),
        );
      },
    ],
  ];
  const only = process.env.BENCH_TOOLS?.split(',');
  const chosen = only ? tools.filter((_, i) => only.includes(String(i))) : tools;
  const samples = new Map<string, Sample[]>(chosen.map(([name]) => [name, []]));
  const loads: string[] = [loadAverage()];
  for (let round = 0; round < runs; round++) {
    for (const [name, run] of chosen) {
      // A tool that fails or times out gets a row saying so; the other tools' samples are kept.
      const sample = await run().catch((error: unknown): Sample => ({ wallMs: NaN, cpuMs: NaN, rssBytes: NaN, note: String((error as Error)?.message ?? error).split('\n')[0].slice(0, 120) }));
      samples.get(name)!.push(sample);
      process.stderr.write(sample.note ? 'x' : '.');
    }
    loads.push(loadAverage());
  }
  process.stderr.write('\n');
  const floorCpu = median(samples.get(tools[0][0])?.map((s) => s.cpuMs) ?? []);
  const floorWall = median(samples.get(tools[0][0])?.map((s) => s.wallMs) ?? []);
  const rows = chosen.map(([name]) => {
    const s = samples.get(name)!;
    const cpu = median(s.map((x) => x.cpuMs));
    const wall = median(s.map((x) => x.wallMs));
    const edits = s.map((x) => x.editMs).filter((x): x is number => x !== undefined);
    const failed = s.find((x) => x.note)?.note;
    return [failed ? `${name} (failed: ${failed})` : name, seconds(cpu), (cpu / floorCpu).toFixed(2), seconds(wall), (wall / floorWall).toFixed(2), mb(median(s.map((x) => x.rssBytes))), edits.length ? ms(median(edits)) : '—'];
  });
  const header = `### ${fileCount.toLocaleString('en')} files, ${profile} profile (${yamlFiles.length} YAML files, ${repo.components} components), median of ${runs} interleaved rounds\n\nLoad average (1, 5, 15 min) before and after each round: ${loads.join(' → ')}\n\n`;
  return `${header}${markdownTable(['tool', 'CPU s', '× floor', 'wall s', 'wall × floor', 'peak RSS', 'edit → diagnostic'], rows)}\n`;
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_FILES ?? '5000').split(',').map(Number);
  const profile = (process.env.BENCH_PROFILE ?? 'dense') as BenchProfile;
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'gitops-guardrails-bench-peers-'));
  try {
    console.log(`## Peers (${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${mb(os.totalmem())} RAM)\n`);
    console.log('CPU s: user + system of the tool\'s own process (every thread), median; × floor: over the floor of the same rounds. Language servers: wall is spawn → ready (ours: the first modelChanged; yaml-language-server: every file opened has diagnostics), edit → diagnostic is the median of its edits (ours includes the ≥ 40 ms pause for typing).\n');
    for (const size of sizes) console.log(await benchSize(size, profile, runs, scratch));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
