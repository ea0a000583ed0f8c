// `gitops-guardrails charts pull [DIR]`: fetches the chart of every HelmRelease whose source is a
// chart repository or registry into our cache, and says what it fetched, found cached, skipped
// and could not fetch. Exit codes: 0 when nothing failed, 1 when a fetch failed, 2 on usage errors.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RepoModel } from '../model/model';
import { printable } from '../output/text';
import { chartSources } from './sources';
import { chartStores } from './stores';
import { describeOutcome, fetchableSources, pullCharts, type PullOutcome } from './pull';

export interface ChartsCliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const CHARTS_USAGE = `Usage:
  gitops-guardrails charts pull [DIR]

pull fetches the chart of every HelmRelease in DIR whose source is an HTTP Helm repository or an
OCI registry into the cache (GITOPS_GUARDRAILS_CACHE_DIR, else the platform's cache folder), once:
a chart version already cached is never fetched again. It exits 1 when a fetch failed.
`;

export async function runChartsCommand(args: string[], io: ChartsCliIO): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'pull') {
    io.stderr(action ? `Unknown charts command "${action}".\n${CHARTS_USAGE}` : CHARTS_USAGE);
    return 2;
  }
  const dirs = rest.filter((a) => !a.startsWith('-'));
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown || dirs.length > 1) {
    io.stderr(`${unknown ? `Unknown option "${unknown}".` : 'Only one directory can be pulled for.'}\n${CHARTS_USAGE}`);
    return 2;
  }
  const dir = path.resolve(io.cwd, dirs[0] ?? '.');
  if (!(await fs.stat(dir).catch(() => undefined))?.isDirectory()) throw new Error(`${dir} is not a directory.`);
  const model = await RepoModel.load(dir);
  const { cache, offline } = chartStores(io.env);
  const releases = chartSources(model);
  const sources = fetchableSources(releases.map((r) => r.source));
  const outcomes = await pullCharts(sources, cache, { offline });
  for (const outcome of outcomes) io.stdout(`${printable(describeOutcome(outcome))}\n`);
  const unfetchable = releases.filter((r) => fetchableSources([r.source]).length === 0);
  for (const r of unfetchable) io.stdout(`${printable(`skipped  HelmRelease ${r.release.namespace ? `${r.release.namespace}/` : ''}${r.release.name} (${r.release.resource.file}): ${r.reason ?? 'no chart repository to fetch from'}`)}\n`);
  const count = (status: PullOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  io.stdout(`${count('fetched')} fetched, ${count('cached')} cached, ${count('failed')} failed, ${unfetchable.length} skipped (cache: ${cache.root})\n`);
  return count('failed') > 0 ? 1 : 0;
}
