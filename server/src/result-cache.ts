// The on-disk result cache: the findings of a whole check, keyed by a digest of every input they
// depend on, so that a restart with nothing changed answers at once (`check`) or publishes at once
// (the language server, which then verifies with a full check). The digest covers:
//   - this build (version and __BUILD_ID__: the rules, their messages, the schemas) and the format;
//   - the repository's root and what the scan lists (`.gitignore` included), with each file's
//     path and a hash of its bytes (YAML or not: builds read generator inputs and chart files),
//     and what the scan could not read;
//   - the settings that change findings (the editor's severities), given by the caller;
//   - the chart stores outside the repository (the Helm cache, our charts-v1/), by the path, size
//     and modification time of their files: every write to them is a new file (atomic renames).
// One entry per repository under `results-v1/` beside `parse-v1/`, a sha256 of the payload in
// front, written atomically (writes.ts). A missing, damaged, foreign-format, other-build or
// other-repository entry, or one whose findings do not have the shape of findings, is ignored and
// rewritten, never trusted; deleting the folder is always safe. A finding is stored without its
// fixes (they can carry file text; nothing that reads this cache shows them) and a run in which a
// rule failed is not stored. Findings never quote a secret's value (ARCHITECTURE.md, invariant 9;
// test/unit/result-cache.test.ts checks it on the stored bytes).
import { createHash } from 'node:crypto';
import { promises as fs, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { chartCacheDir, helmRepositoryCache, helmRepositoryConfig } from './charts/paths';
import { CACHE_LAYOUT as CHART_CACHE_LAYOUT } from './charts/cacheStore';
import { buildId } from './model/parse-cache';
import { toAbsolute } from './model/paths';
import { scanWorkspace } from './model/scan';
import { unseal, writeSealed } from './model/sealed-file';
import type { Finding, RelatedLocation } from './rules/types';

/** Bump when the digest's inputs or the payload change. */
const RESULT_CACHE_FORMAT = 1;
export const RESULT_CACHE_LAYOUT = 'results-v1';
const MAGIC = 'gitops-guardrails-result-cache';
/** A file larger than this is digested by its size and modification time, not read. */
const MAX_HASHED_BYTES = 16 * 1024 * 1024;

/** What the outputs show of a finding: everything but its fixes. */
type CachedFinding = Omit<Finding, 'fixes'>;

export interface DigestInputs {
  /** Settings that change findings (the editor's severities), as a JSON value. */
  settings?: unknown;
  /** Files and folders outside the repository that findings read (the chart stores). */
  external?: readonly string[];
}

/** The paths of the chart stores `chartStores(env, fallback)` reads (charts/stores.ts). */
export function chartStoreInputs(env: Readonly<Record<string, string | undefined>>, fallbackCacheDir?: string): string[] {
  return [path.join(chartCacheDir(env, fallbackCacheDir), CHART_CACHE_LAYOUT), helmRepositoryCache(env), helmRepositoryConfig(env)];
}

/**
 * The digest of everything a check of `root` depends on, as it is on disk now. Rejects only when
 * the root itself cannot be listed.
 */
export async function workspaceDigest(root: string, inputs: DigestInputs = {}): Promise<string> {
  const hash = createHash('sha256');
  const field = (...parts: (string | number)[]) => hash.update(`${parts.join('\u0001')}\u0000`);
  field(MAGIC, RESULT_CACHE_FORMAT, buildId(), path.resolve(root));
  field('settings', stableJson(inputs.settings ?? null));
  const { files, unreadable } = await scanWorkspace(root);
  for (const problem of unreadable) field('unreadable', problem.path, problem.message, problem.line ?? -1);
  // Read synchronously in slices: cheaper than a promise per file, and the event loop breathes.
  for (let start = 0; start < files.length; start += 256) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const file of files.slice(start, start + 256)) field('file', file, fileDigest(toAbsolute(root, file)));
  }
  for (const external of inputs.external ?? []) fingerprint(external, field);
  return hash.digest('hex');
}

function fileDigest(absolute: string): string {
  try {
    const stats = statSync(absolute);
    if (stats.size > MAX_HASHED_BYTES) return `large ${stats.size} ${stats.mtimeMs}`;
    return createHash('sha1').update(readFileSync(absolute)).digest('base64');
  } catch (error) {
    return `error ${(error as NodeJS.ErrnoException)?.code ?? 'unknown'}`;
  }
}

/** A folder outside the repository by the path, size and modification time of what it holds (3 levels). */
function fingerprint(target: string, field: (...parts: (string | number)[]) => void): void {
  const walk = (at: string, depth: number) => {
    let stats: Stats;
    try {
      stats = statSync(at);
    } catch {
      field('external', at, 'absent');
      return;
    }
    if (!stats.isDirectory()) {
      field('external', at, stats.size, stats.mtimeMs);
      return;
    }
    field('external', at, 'folder');
    if (depth >= 3) return;
    let names: string[];
    try {
      names = readdirSync(at);
    } catch {
      field('external', at, 'unreadable');
      return;
    }
    for (const name of names.sort()) walk(path.join(at, name), depth + 1);
  };
  walk(target, 0);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The entry of `root` in the cache folder `dir`. */
export function resultCacheFile(dir: string, root: string): string {
  return path.join(dir, RESULT_CACHE_LAYOUT, `${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 24)}.bin`);
}

interface Payload {
  magic: string;
  format: number;
  build: string;
  root: string;
  digest: string;
  findings: CachedFinding[];
}

/** The findings stored for `digest`, or undefined when there are none or they cannot be trusted. */
export async function readResults(dir: string, root: string, digest: string): Promise<CachedFinding[] | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(resultCacheFile(dir, root));
  } catch {
    return undefined;
  }
  const payload = unseal(bytes) as Payload | undefined;
  if (!payload || typeof payload !== 'object') return undefined;
  if (payload.magic !== MAGIC || payload.format !== RESULT_CACHE_FORMAT || payload.build !== buildId() || payload.root !== path.resolve(root) || payload.digest !== digest) return undefined;
  if (!Array.isArray(payload.findings) || !payload.findings.every(isFinding)) return undefined;
  return payload.findings;
}

/** Stores `findings` (their fixes left out) as the result of `digest`. Failures are ignored: the cache only saves time. */
export async function writeResults(dir: string, root: string, digest: string, findings: readonly Finding[]): Promise<void> {
  const stored: CachedFinding[] = findings.map(({ fixes: _fixes, ...rest }) => rest);
  const payload: Payload = { magic: MAGIC, format: RESULT_CACHE_FORMAT, build: buildId(), root: path.resolve(root), digest, findings: stored };
  await writeSealed(resultCacheFile(dir, root), payload);
}

/**
 * Stores `findings` under `before` (the digest taken before the check that made them) when the
 * digest is the same now: nothing changed on disk while the check ran. `findings` undefined (a
 * rule failed, a buffer differs from its file): nothing is stored.
 */
export async function storeIfUnchanged(dir: string, root: string, inputs: DigestInputs, before: string | undefined, findings: readonly Finding[] | undefined): Promise<boolean> {
  if (before === undefined || findings === undefined) return false;
  const after = await workspaceDigest(root, inputs).catch(() => undefined);
  if (after !== before) return false;
  await writeResults(dir, root, before, findings);
  return true;
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);

function isPosition(value: unknown): boolean {
  const p = value as { line?: unknown; character?: unknown } | null;
  return !!p && Number.isInteger(p.line) && Number.isInteger(p.character) && (p.line as number) >= 0 && (p.character as number) >= 0;
}

function isRange(value: unknown): boolean {
  const r = value as { start?: unknown; end?: unknown } | null;
  return !!r && typeof r === 'object' && isPosition(r.start) && isPosition(r.end);
}

function isRelated(value: unknown): value is RelatedLocation {
  const r = value as RelatedLocation | null;
  return !!r && typeof r === 'object' && typeof r.file === 'string' && typeof r.message === 'string' && isRange(r.range);
}

function isFinding(value: unknown): value is CachedFinding {
  const f = value as CachedFinding | null;
  if (!f || typeof f !== 'object') return false;
  if (typeof f.rule !== 'string' || typeof f.message !== 'string' || typeof f.file !== 'string' || !SEVERITIES.has(f.severity) || !isRange(f.range)) return false;
  if ('fixes' in f) return false;
  return f.related === undefined || (Array.isArray(f.related) && f.related.every(isRelated));
}
