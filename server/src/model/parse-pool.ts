// Worker threads that read and parse YAML files for RepoModel.load. Each worker (parse-worker.ts)
// reads a batch of files and answers with parse.ts's result minus the documents; here each file
// becomes a YamlFile whose documents are parsed on first access. A batch that a worker does not
// answer (it failed to start, threw or exited) is parsed on the main thread, so no file is lost.
// The pool lives as long as the process uses it: created on first use, reused by later loads,
// unref'd while idle (it never keeps a process alive) and terminated after IDLE_MS without work.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { readYamlFile, withLazyDocuments, type ParsedFileData } from './parse';
import type { YamlFile } from './types';

/** Forces the number of parse workers (0: parse on the main thread), for tests and CI. */
export const PARSE_WORKERS_ENV = 'GITOPS_GUARDRAILS_PARSE_WORKERS';
/**
 * Below this many YAML files, starting workers costs more than they save. Measured on 2 cores,
 * first load of a process (workers start and compile cold): 500 files ~200 ms slower with two
 * workers, 1,000 files ~90 ms faster. Warm workers win from ~500 files, but the pool rarely is
 * warm: it stops after IDLE_MS.
 */
export const PARSE_WORKERS_THRESHOLD = 800;
const MAX_WORKERS = 4;
/** Files per message; each worker has up to IN_FLIGHT batches so that it never waits for the next. */
const BATCH_SIZE = 64;
const IN_FLIGHT = 2;
const IDLE_MS = 10_000;

export interface BatchRequest {
  id: number;
  root: string;
  /** Repository-relative paths. */
  paths: string[];
}

/** A file is null when it cannot be read; `failed` asks the main thread to parse the batch. */
export type BatchReply = { id: number; files: (ParsedFileData | null)[] } | { id: number; failed: true };

/**
 * How many workers parse `yamlFiles` files: `forced` (a load option), else the environment
 * variable, else min(cores, 4) for a workspace of at least PARSE_WORKERS_THRESHOLD files on a
 * machine with more than one core, else 0.
 */
export function parseWorkerCount(yamlFiles: number, forced?: number): number {
  const env = process.env[PARSE_WORKERS_ENV]?.trim();
  const requested = forced ?? (env && /^\d+$/.test(env) ? Number(env) : undefined);
  if (requested !== undefined) return Math.max(0, Math.floor(requested));
  const cores = os.availableParallelism();
  return yamlFiles >= PARSE_WORKERS_THRESHOLD && cores > 1 ? Math.min(cores, MAX_WORKERS) : 0;
}

/**
 * Reads and parses `paths` (repository-relative, below `root`) with `workers` threads. Calls
 * `onParsed(index, file)` once for every path, in no particular order; `file` is undefined when
 * the file cannot be read. `script` replaces the worker script (tests).
 */
export function parseInWorkers(
  root: string,
  paths: readonly string[],
  workers: number,
  onParsed: (index: number, file: YamlFile | undefined) => void,
  script = defaultScript(),
): Promise<void> {
  const key = `${workers}:${script ?? ''}`;
  let pool = pools.get(key);
  if (!pool) pools.set(key, (pool = new ParsePool(script, workers, () => pools.delete(key))));
  return pool.run(root, paths, onParsed);
}

/**
 * Stops the workers of every pool that has no load running, at once rather than after IDLE_MS: a
 * process that loads one model (the CLI) frees their heaps before it derives the graph and runs
 * the rules, instead of carrying them to its peak. A later load starts new workers.
 */
export function stopIdleParseWorkers(): void {
  for (const pool of [...pools.values()]) pool.stopIfIdle();
}

/** Beside the bundle (dist/parse-worker.js), else the TypeScript source under tsx (tests, bench). */
function defaultScript(): string | undefined {
  for (const name of ['parse-worker.js', 'parse-worker.ts']) {
    const file = path.join(__dirname, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

function startWorker(script: string): Worker {
  if (!script.endsWith('.ts')) return new Worker(script);
  // No .js beside the sources: the worker compiles the .ts with tsx's require hook.
  const tsx = createRequire(script).resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)});`, { eval: true, execArgv: [] });
}

const pools = new Map<string, ParsePool>();

interface Job {
  root: string;
  onParsed: (index: number, file: YamlFile | undefined) => void;
  /** Batches not answered yet. */
  remaining: number;
  error?: unknown;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Batch {
  job: Job;
  /** Index of the batch's first path in the job's paths. */
  start: number;
  paths: string[];
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Batch>;
  alive: boolean;
  /** The worker answered at least once: its script works. */
  answered: boolean;
}

class ParsePool {
  private slots: Slot[] = [];
  private readonly queue: Batch[] = [];
  /** Batches the main thread parses, one per turn of the event loop. */
  private readonly local: Batch[] = [];
  private localScheduled = false;
  private nextId = 0;
  private jobs = 0;
  private idleTimer?: NodeJS.Timeout;
  /** A worker could not start or died before answering: no new worker until the pool stops. */
  private broken: boolean;

  constructor(
    private readonly script: string | undefined,
    private readonly size: number,
    private readonly onTerminated: () => void,
  ) {
    this.broken = script === undefined;
  }

  run(root: string, paths: readonly string[], onParsed: Job['onParsed']): Promise<void> {
    if (paths.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const job: Job = { root, onParsed, remaining: 0, resolve, reject };
      for (let start = 0; start < paths.length; start += BATCH_SIZE) {
        this.queue.push({ job, start, paths: paths.slice(start, start + BATCH_SIZE) });
        job.remaining++;
      }
      this.jobs++;
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      this.start();
      for (const slot of this.slots) slot.worker.ref();
      this.dispatch();
    });
  }

  private start(): void {
    while (!this.broken && this.slots.length < this.size) {
      let worker: Worker;
      try {
        worker = startWorker(this.script!);
      } catch {
        this.broken = true;
        return;
      }
      const slot: Slot = { worker, inFlight: new Map(), alive: true, answered: false };
      worker.on('message', (reply: BatchReply) => this.answer(slot, reply));
      // The error itself is not logged: it could quote a file.
      worker.on('error', () => this.lose(slot));
      worker.on('messageerror', () => this.lose(slot));
      worker.on('exit', () => this.lose(slot));
      this.slots.push(slot);
    }
  }

  private dispatch(): void {
    // Round robin, so that every worker starts with a batch before any gets its second.
    for (let depth = 1; depth <= IN_FLIGHT; depth++) {
      for (const slot of this.slots) {
        if (slot.inFlight.size >= depth || this.queue.length === 0) continue;
        const batch = this.queue.shift()!;
        const id = this.nextId++;
        slot.inFlight.set(id, batch);
        const request: BatchRequest = { id, root: batch.job.root, paths: batch.paths };
        try {
          slot.worker.postMessage(request);
        } catch {
          slot.inFlight.delete(id);
          this.parseLocally(batch);
        }
      }
    }
    // No worker left: the main thread parses the rest.
    if (this.slots.length === 0) for (const batch of this.queue.splice(0)) this.parseLocally(batch);
  }

  private answer(slot: Slot, reply: BatchReply): void {
    const batch = slot.inFlight.get(reply.id);
    if (!batch) return;
    slot.inFlight.delete(reply.id);
    slot.answered = true;
    if ('failed' in reply) this.parseLocally(batch);
    else {
      this.deliver(batch, (i) => {
        const data = reply.files[i];
        return data ? withLazyDocuments(data) : undefined;
      });
    }
    this.dispatch();
  }

  /** A worker failed or exited: what it had not answered is parsed on the main thread. */
  private lose(slot: Slot): void {
    if (!slot.alive) return;
    slot.alive = false;
    if (!slot.answered) this.broken = true;
    this.slots = this.slots.filter((s) => s !== slot);
    void slot.worker.terminate().catch(() => undefined);
    for (const batch of slot.inFlight.values()) this.parseLocally(batch);
    slot.inFlight.clear();
    this.dispatch();
  }

  private parseLocally(batch: Batch): void {
    this.local.push(batch);
    if (this.localScheduled) return;
    this.localScheduled = true;
    const next = () => {
      const batch = this.local.shift();
      if (!batch) {
        this.localScheduled = false;
        return;
      }
      this.deliver(batch, (i) => readYamlFile(batch.job.root, batch.paths[i]));
      setImmediate(next);
    };
    setImmediate(next);
  }

  private deliver(batch: Batch, fileAt: (i: number) => YamlFile | undefined): void {
    const { job } = batch;
    if (job.error === undefined) {
      try {
        for (let i = 0; i < batch.paths.length; i++) job.onParsed(batch.start + i, fileAt(i));
      } catch (error) {
        job.error = error;
      }
    }
    if (--job.remaining > 0) return;
    if (job.error === undefined) job.resolve();
    else job.reject(job.error);
    if (--this.jobs === 0) this.idle();
  }

  /** No load running: the workers no longer keep the process alive, and stop after IDLE_MS. */
  private idle(): void {
    for (const slot of this.slots) slot.worker.unref();
    this.idleTimer = setTimeout(() => this.terminate(), IDLE_MS);
    this.idleTimer.unref();
  }

  stopIfIdle(): void {
    if (this.jobs > 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.terminate();
  }

  private terminate(): void {
    for (const slot of this.slots) {
      slot.alive = false;
      void slot.worker.terminate().catch(() => undefined);
    }
    this.slots = [];
    this.onTerminated();
  }
}
