// The chart stores the CLI and the server give the model: the user's Helm cache, then our cache.
import type { ChartStore } from '../model/charts/types';
import { ChartCache } from './cacheStore';
import { HelmCacheStore } from './helmCacheStore';
import { chartCacheDir, helmRepositoryCache, helmRepositoryConfig } from './paths';

export interface ChartStores {
  cache: ChartCache;
  /** The stores other than our cache (the user's Helm cache). */
  offline: ChartStore[];
  stores: ChartStore[];
}

/** The stores for this environment; `fallbackCacheDir` is the extension's global storage, for the server. */
export function chartStores(env: Readonly<Record<string, string | undefined>> = process.env, fallbackCacheDir?: string): ChartStores {
  const cache = new ChartCache(chartCacheDir(env, fallbackCacheDir));
  const offline = [new HelmCacheStore(helmRepositoryCache(env), helmRepositoryConfig(env))];
  return { cache, offline, stores: [...offline, cache] };
}
