// Where charts are kept on disk: the user's Helm cache (read only) and our own cache (filled by
// `charts pull` and Fetch Charts). Environment first, then each platform's default.
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** Helm's cache home: HELM_CACHE_HOME, else $XDG_CACHE_HOME/helm, ~/.cache/helm, ~/Library/Caches/helm or %TEMP%\helm. */
export function helmCacheHome(env: Env = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.HELM_CACHE_HOME) return env.HELM_CACHE_HOME;
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'helm');
  if (platform === 'win32') return path.join(env.TEMP || env.TMP || tmpdir(), 'helm');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'helm');
}

/** Helm's repository cache (the `<name>-index.yaml` files and downloaded archives). */
export function helmRepositoryCache(env: Env = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  return env.HELM_REPOSITORY_CACHE || path.join(helmCacheHome(env, platform, home), 'repository');
}

/** Helm's repositories.yaml, which names each repository's URL (only names and URLs are read from it). */
export function helmRepositoryConfig(env: Env = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.HELM_REPOSITORY_CONFIG) return env.HELM_REPOSITORY_CONFIG;
  let config: string;
  if (env.HELM_CONFIG_HOME) config = env.HELM_CONFIG_HOME;
  else if (platform === 'darwin') config = path.join(home, 'Library', 'Preferences', 'helm');
  else if (platform === 'win32') config = path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'helm');
  else config = path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'helm');
  return path.join(config, 'repositories.yaml');
}

/**
 * Our cache folder: GITOPS_GUARDRAILS_CACHE_DIR, else `fallback` (the extension's global storage,
 * for the server), else the platform's cache folder (for the CLI).
 */
export function chartCacheDir(env: Env = process.env, fallback?: string, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.GITOPS_GUARDRAILS_CACHE_DIR) return env.GITOPS_GUARDRAILS_CACHE_DIR;
  if (fallback) return fallback;
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'gitops-guardrails');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'gitops-guardrails', 'Cache');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'gitops-guardrails');
}
