// `npm run bench:server`: the language server's start as an editor meets it, alone (the same
// measures as the language-server section of `npm run bench`, without the rest):
//   - spawn → `initialize` answered, median of BENCH_RUNS (default 5) starts on an empty folder,
//     next to bare Node's spawn → exit;
//   - on the synthetic repository (BENCH_FILES, default 5,000, dense profile): initialize → the
//     diagnostics of the file opened first, requests sent right after that open (answered before
//     or after the index ended: `$/progress` end), the whole index, $/progress notifications.
// Prints only; writes nothing into the repository.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_FILE_COUNT, DEFAULT_PROFILE, ensureRepo, type BenchProfile } from './generate';
import { loadAverage, mb, median, ms, runNode } from './measure';
import { runLanguageServer, type LspSession } from './peers/lsp';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const SERVER = path.join(PROJECT_ROOT, 'dist', 'server.js');

export interface RequestTiming {
  method: string;
  ms: number;
  /** Answered before the first index ended ($/progress end). */
  beforeIndexEnd: boolean;
  /** A short description of the answer (how many items, or null). */
  answer: string;
}

export interface ServerStart {
  initializeMs: number[];
  bareNodeMs: number[];
  firstDiagnosticsMs: number;
  firstDiagnosticsBeforeIndexEnd: boolean;
  indexMs: number;
  progress: number;
  requests: RequestTiming[];
  cpuMs: number;
  rssBytes: number;
}

/** Spawn → initialize answered on an empty folder, `runs` times, interleaved with bare Node. */
export async function initializeTimes(runs: number): Promise<{ initializeMs: number[]; bareNodeMs: number[] }> {
  const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-guardrails-bench-empty-'));
  const initializeMs: number[] = [];
  const bareNodeMs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      bareNodeMs.push((await runNode(['-e', '0'])).wallMs);
      const run = await runLanguageServer({ args: [SERVER, '--stdio'], root: empty, ready: async () => undefined, timeoutMs: 60_000 });
      initializeMs.push(run.initializeMs);
    }
  } finally {
    await fs.rm(empty, { recursive: true, force: true });
  }
  return { initializeMs, bareNodeMs };
}

const describeAnswer = (answer: unknown): string => (answer === null || answer === undefined ? 'null' : Array.isArray(answer) ? `${answer.length} items` : typeof answer === 'object' && 'items' in answer! ? `${(answer as { items: unknown[] }).items.length} items` : 'an answer');

/**
 * One start on `root`: `firstOpen` is opened right after initialized, the requests are sent at
 * once, and the run waits for its diagnostics (`ready` says which) and for the index's end.
 */
export async function serverStart(root: string, firstOpen: { file: string; text: string; ready: (codes: string[]) => boolean }, scratch: string): Promise<Omit<ServerStart, 'initializeMs' | 'bareNodeMs'>> {
  let result: Omit<ServerStart, 'initializeMs' | 'bareNodeMs' | 'cpuMs' | 'rssBytes' | 'progress'> | undefined;
  const run = await runLanguageServer({
    args: [SERVER, '--stdio'],
    root,
    env: { GITOPS_GUARDRAILS_CACHE_DIR: path.join(scratch, 'server-cache') },
    ready: async (s: LspSession) => {
      const started = performance.now();
      const ended = () => (s.notifications.get('$/progress end') ?? 0) > 0;
      const uri = s.uri(firstOpen.file);
      s.open(firstOpen.file, firstOpen.text);
      const lines = firstOpen.text.split('\n');
      const entryLine = Math.max(0, lines.findIndex((l) => /^\s+- /.test(l)));
      const at = { textDocument: { uri }, position: { line: entryLine, character: lines[entryLine].indexOf('-') + 3 } };
      const requests: [string, unknown][] = [
        ['textDocument/documentSymbol', { textDocument: { uri } }],
        ['textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } }],
        ['textDocument/completion', at],
        ['textDocument/definition', at],
        ['textDocument/documentLink', { textDocument: { uri } }],
        ['gitopsGuardrails/fileContext', { uri }],
        ['gitopsGuardrails/clusters', undefined],
        ['workspace/symbol', { query: 'grafana' }],
      ];
      const timings = requests.map(([method, params]) =>
        s.connection.sendRequest(method, params).then(
          (answer): RequestTiming => ({ method, ms: performance.now() - started, beforeIndexEnd: !ended(), answer: describeAnswer(answer) }),
          (error: Error): RequestTiming => ({ method, ms: performance.now() - started, beforeIndexEnd: !ended(), answer: `error: ${error.message}` }),
        ),
      );
      await s.until(() => firstOpen.ready((s.diagnostics.get(uri) ?? []).map((d) => String(d.code))), 600_000, `the diagnostics of ${firstOpen.file}`);
      const firstDiagnosticsMs = performance.now() - started;
      const firstDiagnosticsBeforeIndexEnd = !ended();
      await s.until(ended, 600_000, 'the end of the index ($/progress end)');
      result = { firstDiagnosticsMs, firstDiagnosticsBeforeIndexEnd, indexMs: performance.now() - started, requests: await Promise.all(timings) };
    },
    timeoutMs: 600_000,
  });
  return { ...result!, progress: run.notifications.get('$/progress') ?? 0, cpuMs: run.cpuMs, rssBytes: run.rssBytes };
}

/** The kustomization.yaml that lists a missing file (the generator writes some): its kustomize/missing-resource is the diagnostic waited for. */
export async function missingResourceFile(root: string): Promise<{ file: string; text: string }> {
  const stack = ['environments'];
  while (stack.length > 0) {
    const folder = stack.pop()!;
    for (const entry of await fs.readdir(path.join(root, folder), { withFileTypes: true })) {
      const rel = path.posix.join(folder, entry.name);
      if (entry.isDirectory()) stack.push(rel);
      else if (entry.name === 'kustomization.yaml') {
        const text = await fs.readFile(path.join(root, rel), 'utf8');
        if (text.includes('missing.yaml')) return { file: rel, text };
      }
    }
  }
  throw new Error('no kustomization.yaml listing missing.yaml in the generated repository');
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const fileCount = Number((process.env.BENCH_FILES ?? String(DEFAULT_FILE_COUNT)).split(',')[0]);
  const profile = (process.env.BENCH_PROFILE ?? DEFAULT_PROFILE) as BenchProfile;
  const repo = await ensureRepo(fileCount, undefined, profile);
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-guardrails-bench-server-'));
  console.log(`${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average ${loadAverage()}`);
  const { initializeMs, bareNodeMs } = await initializeTimes(runs);
  const first = await missingResourceFile(repo.root);
  const firstOpen = { ...first, ready: (codes: string[]) => codes.includes('kustomize/missing-resource') };
  const start = await serverStart(repo.root, firstOpen, scratch);
  // The same again with the caches the first start wrote (parse cache, stored findings): a window reload.
  const warm = await serverStart(repo.root, firstOpen, scratch);
  await fs.rm(scratch, { recursive: true, force: true });
  console.log(`\nspawn → initialize answered: median ${ms(median(initializeMs))} of ${runs} [${initializeMs.map((t) => t.toFixed(0)).join(', ')}]; bare Node spawn → exit median ${ms(median(bareNodeMs))}`);
  console.log(`\n${repo.root} (${repo.files} files, ${profile}); ${first.file} opened right after initialized:`);
  console.log(`  its diagnostics (kustomize/missing-resource) after ${ms(start.firstDiagnosticsMs)}, ${start.firstDiagnosticsBeforeIndexEnd ? 'before' : 'after'} the index ended`);
  console.log(`  index ended ($/progress end) after ${ms(start.indexMs)}; ${start.progress} $/progress notifications; server cpu ${ms(start.cpuMs)}, peak RSS ${mb(start.rssBytes)}`);
  console.log('  requests sent right after the open:');
  for (const r of start.requests) console.log(`    ${r.method.padEnd(30)} ${ms(r.ms).padStart(9)}  ${r.beforeIndexEnd ? 'before' : 'after '} the index ended  (${r.answer})`);
  console.log(`\nwarm (the caches of the start above): its diagnostics after ${ms(warm.firstDiagnosticsMs)}, index ended after ${ms(warm.indexMs)}; server cpu ${ms(warm.cpuMs)}, peak RSS ${mb(warm.rssBytes)}`);
  for (const r of warm.requests) console.log(`    ${r.method.padEnd(30)} ${ms(r.ms).padStart(9)}  ${r.beforeIndexEnd ? 'before' : 'after '} the index ended  (${r.answer})`);
  console.log(`\nload average now ${loadAverage()}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
