// The user's Helm cache, read only: repositories.yaml says which `<name>-index.yaml` belongs to a
// repository URL (only each entry's name and url are read from it), the index says which version
// Flux would pick, and the archive Helm downloaded (`<chart>-<version>.tgz`, the digest the index
// gives checked) is read when it is there. OCI charts have no index there: this store has none.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ChartSourceRef, ChartStore, LoadedChart } from '../model/charts/types';
import { readChartArchive } from './archive';
import { chartIdentity, safeVersion } from './identity';
import { helmRepositoryCache, helmRepositoryConfig } from './paths';
import { pickVersion } from './versions';

/** Index files larger than this are not read (the largest public indexes are tens of megabytes). */
const INDEX_LIMIT = 128 * 1024 * 1024;

export interface IndexEntry {
  version: string;
  urls: string[];
  digest?: string;
}

/** A Helm repository index's entries of one chart; undefined when the text is not an index. */
export function indexEntries(index: unknown, chart: string): IndexEntry[] | undefined {
  const entries = (index as { entries?: Record<string, unknown> } | null)?.entries;
  if (!entries || typeof entries !== 'object') return undefined;
  const list = entries[chart];
  if (!Array.isArray(list)) return [];
  return list.flatMap((e: any) =>
    e && (typeof e.version === 'string' || typeof e.version === 'number')
      ? [{ version: String(e.version), urls: Array.isArray(e.urls) ? e.urls.filter((u: unknown): u is string => typeof u === 'string') : [], digest: typeof e.digest === 'string' ? e.digest : undefined }]
      : [],
  );
}

export class HelmCacheStore implements ChartStore {
  readonly name = 'helm-cache';
  private repositories: Map<string, string> | undefined;
  private readonly indexes = new Map<string, unknown>();
  private readonly loaded = new Map<string, LoadedChart | null>();

  constructor(
    readonly repositoryCache = helmRepositoryCache(),
    readonly repositoryConfig = helmRepositoryConfig(),
  ) {}

  find(ref: ChartSourceRef & { url: string }): LoadedChart | undefined {
    const identity = chartIdentity(ref);
    if (identity.artifact) return undefined;
    const name = this.repositoryNames().get(identity.repository);
    if (!name) return undefined;
    const entries = indexEntries(this.index(name), identity.chart);
    if (!entries) return undefined;
    const version = pickVersion(entries.map((e) => e.version), ref.version);
    const entry = entries.find((e) => e.version === version);
    if (!entry || !safeVersion(entry.version)) return undefined;
    return this.archive(identity.chart, entry);
  }

  /** Repository URL → Helm's name for it, from repositories.yaml (names and URLs only). */
  private repositoryNames(): Map<string, string> {
    if (this.repositories) return this.repositories;
    this.repositories = new Map();
    try {
      const config = parseYaml(readFileSync(this.repositoryConfig, 'utf8'), { maxAliasCount: 10 }) as { repositories?: unknown };
      for (const r of Array.isArray(config?.repositories) ? config.repositories : []) {
        const { name, url } = (r ?? {}) as { name?: unknown; url?: unknown };
        if (typeof name === 'string' && typeof url === 'string' && /^[\w.@-]+$/.test(name)) this.repositories.set(url.trim().replace(/\/+$/, ''), name);
      }
    } catch {
      // No Helm configuration (or one that does not read): no repository is known.
    }
    return this.repositories;
  }

  private index(name: string): unknown {
    if (this.indexes.has(name)) return this.indexes.get(name);
    let index: unknown;
    try {
      const text = readFileSync(path.join(this.repositoryCache, `${name}-index.yaml`));
      index = text.length <= INDEX_LIMIT ? parseYaml(text.toString('utf8'), { maxAliasCount: 100 }) : undefined;
    } catch {
      index = undefined;
    }
    this.indexes.set(name, index);
    return index;
  }

  private archive(chart: string, entry: IndexEntry): LoadedChart | undefined {
    const file = path.join(this.repositoryCache, `${chart}-${entry.version}.tgz`);
    const known = this.loaded.get(file);
    if (known !== undefined) return known ?? undefined;
    let loaded: LoadedChart | null = null;
    try {
      const bytes = readFileSync(file);
      // Another repository's chart of the same name and version may sit under the same file name.
      const digestMatches = !entry.digest || createHash('sha256').update(bytes).digest('hex') === entry.digest.replace(/^sha256:/, '');
      const content = digestMatches ? readChartArchive(bytes) : undefined;
      if (content && content.name === chart && content.version === entry.version) loaded = { ...content, origin: { kind: 'helm-cache', path: file } };
    } catch {
      loaded = null;
    }
    this.loaded.set(file, loaded);
    return loaded ?? undefined;
  }
}
