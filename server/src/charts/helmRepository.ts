// Fetching from an HTTP Helm repository: its index.yaml (once per run), the version the
// constraint picks, then the archive the index points to, refused unless its sha256 is the
// index's digest.
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { indexEntries } from './helmCacheStore';
import { DEFAULT_LIMITS, FetchError, getOk, shownUrl, type HttpLimits } from './http';
import type { ChartIdentity } from './identity';
import { pickVersion } from './versions';

export interface FetchedArchive {
  version: string;
  archive: Buffer;
  /** Where the archive came from (no credentials). */
  from: string;
}

/** Indexes fetched during one pull, by repository URL, so each is fetched once. */
export type IndexMemo = Map<string, Promise<unknown>>;

export async function fetchFromHelmRepository(
  identity: ChartIdentity,
  constraint: string | undefined,
  memo: IndexMemo,
  limits: { index: HttpLimits; archive: HttpLimits } = DEFAULT_LIMITS,
): Promise<FetchedArchive> {
  const base = `${identity.repository}/`;
  const indexUrl = new URL('index.yaml', base).toString();
  let index = memo.get(identity.repository);
  if (!index) {
    index = getOk(indexUrl, limits.index).then((r) => {
      try {
        return parseYaml(r.body.toString('utf8'), { maxAliasCount: 100 });
      } catch {
        throw new FetchError(`${shownUrl(indexUrl)} is not YAML`);
      }
    });
    memo.set(identity.repository, index);
  }
  const entries = indexEntries(await index, identity.chart);
  if (!entries) throw new FetchError(`${shownUrl(indexUrl)} is not a Helm repository index`);
  if (entries.length === 0) throw new FetchError(`${shownUrl(indexUrl)} has no chart "${identity.chart}"`);
  const version = pickVersion(entries.map((e) => e.version), constraint);
  const entry = entries.find((e) => e.version === version);
  if (!entry) throw new FetchError(`no version of "${identity.chart}" in ${shownUrl(indexUrl)} satisfies "${constraint ?? '*'}"`);
  if (!entry.urls[0]) throw new FetchError(`${shownUrl(indexUrl)} gives no URL for ${identity.chart} ${entry.version}`);
  const archiveUrl = new URL(entry.urls[0], base).toString();
  const { body } = await getOk(archiveUrl, limits.archive);
  if (entry.digest) {
    const digest = createHash('sha256').update(body).digest('hex');
    if (digest !== entry.digest.replace(/^sha256:/, '').toLowerCase()) {
      throw new FetchError(`${shownUrl(archiveUrl)}: digest sha256:${digest} is not the index's ${entry.digest}; refused`);
    }
  }
  return { version: entry.version, archive: body, from: shownUrl(archiveUrl) };
}
