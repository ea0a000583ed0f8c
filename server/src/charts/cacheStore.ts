// Our own chart cache: archives fetched on request, keyed by repository URL + chart + exact
// version, never fetched twice. Layout (versioned, so a later format lives beside this one):
//   <root>/charts-v1/<sha256(repository \n chart), 32 hex>/source.json   {"repository","chart"}
//   <root>/charts-v1/<…>/<version>.tgz                                  the chart archive as fetched
// Every file is written atomically (writes.ts); an entry that does not read as its chart is
// ignored by lookups and replaced by the next pull.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ChartSourceRef, ChartStore, LoadedChart } from '../model/charts/types';
import { writeFileAtomic } from '../writes';
import { readChartArchive } from './archive';
import { chartIdentity, safeVersion, type ChartIdentity } from './identity';
import { pickVersion } from './versions';

export const CACHE_LAYOUT = 'charts-v1';

export class ChartCache implements ChartStore {
  readonly name = 'cache';
  /** Archives read during this store's life, by path (null: corrupt); a pull makes a new store. */
  private readonly loaded = new Map<string, LoadedChart | null>();

  constructor(readonly root: string) {}

  /** The folder of one repository's chart. */
  folderOf(identity: ChartIdentity): string {
    const key = createHash('sha256').update(`${identity.repository}\n${identity.chart}`).digest('hex').slice(0, 32);
    return path.join(this.root, CACHE_LAYOUT, key);
  }

  /** The versions cached for a chart whose archives read. */
  versions(identity: ChartIdentity): string[] {
    let names: string[];
    try {
      names = readdirSync(this.folderOf(identity));
    } catch {
      return [];
    }
    return names.filter((n) => n.endsWith('.tgz')).map((n) => n.slice(0, -4)).filter((v) => safeVersion(v) && this.load(identity, v) !== undefined);
  }

  find(ref: ChartSourceRef & { url: string }): LoadedChart | undefined {
    const identity = chartIdentity(ref);
    const version = pickVersion(this.versions(identity), ref.version);
    return version === undefined ? undefined : this.load(identity, version);
  }

  /** The cached chart of this exact version, when its archive reads as that chart. */
  load(identity: ChartIdentity, version: string): LoadedChart | undefined {
    if (!safeVersion(version)) return undefined;
    const file = path.join(this.folderOf(identity), `${version}.tgz`);
    const known = this.loaded.get(file);
    if (known !== undefined) return known ?? undefined;
    let chart: LoadedChart | null = null;
    try {
      const content = readChartArchive(readFileSync(file));
      if (content.name === identity.chart && content.version === version) chart = { ...content, origin: { kind: 'cache', path: file } };
    } catch {
      chart = null; // Missing or corrupt: ignored, and a pull fetches it again.
    }
    this.loaded.set(file, chart);
    return chart ?? undefined;
  }

  /** Stores a fetched archive (already checked to be this chart at this version). */
  async put(identity: ChartIdentity, version: string, archive: Uint8Array): Promise<string> {
    if (!safeVersion(version)) throw new Error(`version "${version}" cannot name a cache entry`);
    const folder = this.folderOf(identity);
    mkdirSync(folder, { recursive: true });
    await writeFileAtomic(path.join(folder, 'source.json'), `${JSON.stringify({ repository: identity.repository, chart: identity.chart })}\n`);
    const file = path.join(folder, `${version}.tgz`);
    await writeFileAtomic(file, archive);
    this.loaded.delete(file);
    return file;
  }
}
