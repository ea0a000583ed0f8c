// The on-disk parse cache: what parse.ts makes of a file (its index: resources, syntax problems,
// duplicate keys, shape; not its yaml Documents) keyed by the file's path and a hash of its text,
// so that a restart parses only what changed while nothing ran. One file per repository in the
// cache folder, written atomically. It is an optimisation only: a file that is missing, damaged
// (its checksum fails), of another format, another build of the parser or another repository is
// ignored and rewritten, never trusted; deleting the folder is always safe. Whole results (the
// findings of a check, keyed by every input) are result-cache.ts's.
import { createHash } from 'node:crypto';
import { promises as fs, readdirSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { VERSION } from '../version';
import { unseal, writeSealed } from './sealed-file';
import { withLazyDocuments, type ParsedFileData } from './parse';
import type { YamlFile } from './types';

/** The cache folder for every tool (CLI, server, tests); wins over the defaults below. */
export const CACHE_DIR_ENV = 'GITOPS_GUARDRAILS_CACHE_DIR';
/** Bump when ParsedFileData or the file layout changes. */
export const PARSE_CACHE_FORMAT = 1;
const MAGIC = 'gitops-guardrails-parse-cache';

/** An entry: the hash of the file's text, and its ParsedFileData without the text, v8-serialized. */
type Entry = [hash: string, bytes: Uint8Array];

interface Payload {
  magic: string;
  format: number;
  build: string;
  root: string;
  entries: [path: string, hash: string, bytes: Uint8Array][];
}

export class ParseCache {
  private readonly fresh = new Map<string, Entry>();
  private changed = false;

  private constructor(
    readonly file: string,
    private readonly root: string,
    private readonly stored: Map<string, Entry>,
  ) {}

  /** The cache of `root` in `dir`; empty when its file is missing or cannot be trusted. */
  static async open(dir: string, root: string): Promise<ParseCache> {
    const file = path.join(dir, 'parse-v1', `${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 24)}.bin`);
    const stored = await fs.readFile(file).then(
      (bytes) => readPayload(bytes, path.resolve(root)),
      () => undefined,
    );
    return new ParseCache(file, path.resolve(root), stored ?? new Map());
  }

  /** How many files the cache held when it was opened. */
  get size(): number {
    return this.stored.size;
  }

  /** The file as parsed before, when its path and text are those cached; its documents parse on first access. */
  get(file: string, text: string): YamlFile | undefined {
    const entry = this.stored.get(file);
    if (!entry) return undefined;
    const hash = hashText(text);
    if (entry[0] !== hash) return undefined;
    let data: ParsedFileData;
    try {
      data = { ...(deserialize(entry[1]) as Omit<ParsedFileData, 'text'>), text };
    } catch {
      return undefined;
    }
    if (data.path !== file) return undefined;
    this.fresh.set(file, entry);
    return withLazyDocuments(data);
  }

  /** Records a file just parsed (call before anything else sees it: the model may trim it). */
  put(data: ParsedFileData): void {
    const { text, ...rest } = data;
    this.fresh.set(data.path, [hashText(text), serialize(rest)]);
    this.changed = true;
  }

  /**
   * Writes the files recorded since open (hits and puts: files no longer in the repository are
   * dropped), when anything changed. Failures are ignored: the cache only saves time.
   */
  async save(): Promise<void> {
    if (!this.changed && this.fresh.size === this.stored.size) return;
    const payload: Payload = { magic: MAGIC, format: PARSE_CACHE_FORMAT, build: buildId(), root: this.root, entries: [...this.fresh].map(([file, [hash, bytes]]) => [file, hash, bytes]) };
    await writeSealed(this.file, payload);
  }
}

function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** The entries of a cache file, or undefined when anything about it is off. */
function readPayload(bytes: Buffer, root: string): Map<string, Entry> | undefined {
  const payload = unseal(bytes) as Payload | undefined;
  if (!payload || payload.magic !== MAGIC || payload.format !== PARSE_CACHE_FORMAT || payload.build !== buildId() || payload.root !== root || !Array.isArray(payload.entries)) return undefined;
  const entries = new Map<string, Entry>();
  for (const entry of payload.entries) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string' || !(entry[2] instanceof Uint8Array)) return undefined;
    entries.set(entry[0], [entry[1], entry[2]]);
  }
  return entries;
}

let build: string | undefined;
/**
 * What made the cached data: the bundle's build id (a hash of the sources, esbuild.mjs), else,
 * running from the TypeScript sources, the version and the newest modification time of the
 * model's sources, so an edited parser never reads what another one wrote.
 */
export function buildId(): string {
  if (build) return build;
  if (typeof __BUILD_ID__ === 'string') return (build = `${VERSION}+${__BUILD_ID__}`);
  let newest = 0;
  try {
    for (const name of readdirSync(__dirname)) newest = Math.max(newest, statSync(path.join(__dirname, name)).mtimeMs);
  } catch {
    newest = Date.now();
  }
  return (build = `${VERSION}+source-${newest}`);
}
declare const __BUILD_ID__: string | undefined;

/**
 * The cache folder: GITOPS_GUARDRAILS_CACHE_DIR, else `preferred` (the extension's storage, from
 * the client), else the platform's cache folder for the user (the CLI).
 */
export function cacheDir(preferred?: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CACHE_DIR_ENV]?.trim();
  if (fromEnv) return fromEnv;
  if (preferred) return preferred;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'gitops-guardrails', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'gitops-guardrails');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'gitops-guardrails');
}
