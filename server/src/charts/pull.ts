// `charts pull` and Fetch Charts: every chart source not yet satisfied by our cache is fetched
// once, checked, and stored; what is cached already is never fetched again (a range already
// satisfied by a cached version is not looked up either).
import type { ChartSourceRef, ChartStore } from '../model/charts/types';
import { readChartArchive } from './archive';
import type { ChartCache } from './cacheStore';
import { fetchFromHelmRepository, type FetchedArchive, type IndexMemo } from './helmRepository';
import { DEFAULT_LIMITS, FetchError, shownUrl, type HttpLimits } from './http';
import { chartIdentity } from './identity';
import { OciClient, parseOciReference } from './oci';
import { validConstraint } from './versions';

export type FetchableSource = ChartSourceRef & { url: string };

export interface PullOutcome {
  source: FetchableSource;
  status: 'fetched' | 'cached' | 'failed';
  version?: string;
  /** Where it was fetched from, or why it failed. */
  detail?: string;
}

export interface PullOptions {
  limits?: { index: HttpLimits; archive: HttpLimits; manifest: HttpLimits };
  /** Requests in flight at once. */
  concurrency?: number;
  /** Stores that already answer a source (the user's Helm cache); our cache is always asked. */
  offline?: readonly ChartStore[];
}

/** The sources a pull can fetch from (a URL of a chart repository or registry), each once. */
export function fetchableSources(sources: readonly (ChartSourceRef | undefined)[]): FetchableSource[] {
  const seen = new Map<string, FetchableSource>();
  for (const s of sources) {
    if (!s?.url || (s.kind !== 'HelmRepository' && s.kind !== 'OCIRepository' && s.kind !== 'HelmChart')) continue;
    if (!/^(https?|oci):\/\//i.test(s.url)) continue;
    const id = chartIdentity(s as FetchableSource);
    seen.set(`${id.repository}\n${id.chart}\n${s.version ?? ''}`, s as FetchableSource);
  }
  return [...seen.values()];
}

/** The sources no store answers yet (our cache, and the other offline stores given). */
export function pendingSources(sources: readonly FetchableSource[], cache: ChartCache, offline: readonly ChartStore[] = []): FetchableSource[] {
  return sources.filter((s) => !cache.find(s) && !offline.some((store) => store.find(s)));
}

/** The hosts a pull of these sources would reach. */
export function hostsOf(sources: readonly FetchableSource[]): string[] {
  const hosts = new Set<string>();
  for (const s of sources) {
    try {
      hosts.add(new URL(s.url.replace(/^oci:/i, 'https:')).host);
    } catch {
      // Not a URL: the pull reports it.
    }
  }
  return [...hosts].sort();
}

export async function pullCharts(sources: readonly FetchableSource[], cache: ChartCache, options: PullOptions = {}): Promise<PullOutcome[]> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const memo: IndexMemo = new Map();
  const oci = new OciClient(limits);
  const outcomes: PullOutcome[] = new Array(sources.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < sources.length; i = next++) outcomes[i] = await pullOne(sources[i]!, cache, options.offline ?? [], memo, oci, limits);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, sources.length)) }, worker));
  return outcomes;
}

async function pullOne(source: FetchableSource, cache: ChartCache, offline: readonly ChartStore[], memo: IndexMemo, oci: OciClient, limits: NonNullable<PullOptions['limits']>): Promise<PullOutcome> {
  const cached = cache.find(source);
  if (cached) return { source, status: 'cached', version: cached.version };
  for (const store of offline) {
    const found = store.find(source);
    if (found) return { source, status: 'cached', version: found.version, detail: `in the ${store.name === 'helm-cache' ? 'Helm cache' : store.name}` };
  }
  if (!validConstraint(source.version)) return { source, status: 'failed', detail: `version "${source.version}" is not a version or semver range` };
  const identity = chartIdentity(source);
  try {
    let fetched: FetchedArchive;
    if (identity.artifact) fetched = await oci.pullChart(parseOciReference(identity.artifact), source.version);
    else if (/^https?:\/\//i.test(identity.repository)) fetched = await fetchFromHelmRepository(identity, source.version, memo, limits);
    else return { source, status: 'failed', detail: `${shownUrl(source.url)} is neither an HTTP chart repository nor an OCI registry` };
    let content;
    try {
      content = readChartArchive(fetched.archive);
    } catch (error) {
      return { source, status: 'failed', detail: `${fetched.from}: not a chart archive (${(error as Error).message}); not stored` };
    }
    if (content.name !== identity.chart || content.version !== fetched.version) {
      return { source, status: 'failed', detail: `${fetched.from} holds chart ${content.name} ${content.version}, not ${identity.chart} ${fetched.version}; not stored` };
    }
    await cache.put(identity, fetched.version, fetched.archive);
    return { source, status: 'fetched', version: fetched.version, detail: fetched.from };
  } catch (error) {
    const message = error instanceof FetchError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    return { source, status: 'failed', detail: message };
  }
}

/** One line of `charts pull`'s report (also the Fetch Charts command's log). */
export function describeOutcome(outcome: PullOutcome): string {
  const { source } = outcome;
  const what = `${source.chart}${outcome.version ? ` ${outcome.version}` : source.version ? ` ${source.version}` : ''}`;
  const where = shownUrl(source.url);
  switch (outcome.status) {
    case 'fetched':
      return `fetched  ${what} from ${outcome.detail ?? where}`;
    case 'cached':
      return `cached   ${what} (${where})${outcome.detail ? ` ${outcome.detail}` : ''}`;
    case 'failed':
      return `failed   ${what} (${where}): ${outcome.detail ?? 'unknown reason'}`;
  }
}
