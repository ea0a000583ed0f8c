// Runs a command in a child process and measures it as the peers table does: wall time, the
// child's own CPU time (user + system of every thread, written by bench/rusage.cjs at exit) and
// its peak RSS. Only Node processes can be measured (the preload is a Node --require).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

export const RUSAGE = path.join(__dirname, 'rusage.cjs');

export interface ProcessRun {
  wallMs: number;
  cpuMs: number;
  rssBytes: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'gitops-guardrails-bench-rusage-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

/** A file the child writes its usage to; pass it as BENCH_RUSAGE_FILE. */
export function rusageFile(): string {
  return path.join(scratch, `${process.pid}-${counter++}.json`);
}

export function readRusage(file: string): { cpuMs: number; rssBytes: number } {
  try {
    const { cpuMs, maxRssBytes } = JSON.parse(readFileSync(file, 'utf8'));
    return { cpuMs, rssBytes: maxRssBytes };
  } catch {
    return { cpuMs: NaN, rssBytes: NaN };
  }
}

/** `node --require rusage.cjs ...args`, measured. */
export function runNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  const file = rusageFile();
  const start = performance.now();
  const child = spawn(process.execPath, ['--require', RUSAGE, ...args], { env: { ...process.env, ...env, BENCH_RUSAGE_FILE: file }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      const wallMs = performance.now() - start;
      resolve({ wallMs, ...readRusage(file), status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
export const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ms`);
export const seconds = (value: number) => (Number.isNaN(value) ? 'n/a' : `${(value / 1000).toFixed(2)}`);
export const mb = (bytes: number) => (Number.isNaN(bytes) ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);

/** A markdown table (RESULTS.md takes the output as printed). */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
