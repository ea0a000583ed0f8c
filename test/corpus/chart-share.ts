// How many HelmReleases of ../shared/corpus resolve to a chart in their own repository (no chart
// stores: offline, nothing cached), per repository and in all, with the unresolved reasons'
// kinds. A measuring tool for issue 17's closing note:
//   node --import tsx test/corpus/chart-share.ts [--reasons]
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { RepoModel } from '../../server/src/model/model';
import { RULE_IDS } from '../../server/src/rules';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

async function main(): Promise<void> {
  const repos = readdirSync(CORPUS).filter((d) => existsSync(path.join(CORPUS, d)) && !d.endsWith('.md')).sort();
  let releases = 0;
  let inRepository = 0;
  let live = 0;
  let liveInRepository = 0;
  const reasons = new Map<string, number>();
  console.log('| repository | HelmReleases | in-repository chart | share | applied by a cluster | of which in-repository |\n|---|---|---|---|---|---|');
  for (const repo of repos) {
    const model = await RepoModel.load(path.join(CORPUS, repo), RULE_IDS);
    let here = 0;
    let applied = 0;
    let appliedHere = 0;
    for (const [resource, { resolution }] of model.charts) {
      const isLive = (model.graph.clustersOf.get(resource.file)?.size ?? 0) > 0;
      const local = resolution.status === 'resolved' && resolution.chart.origin.kind === 'repository';
      if (isLive) applied++;
      if (isLive && local) appliedHere++;
      if (local) here++;
      else if (resolution.status === 'unresolved') {
        const kind = resolution.reason.replace(/chart \S+ .*? from \S+/g, 'chart … from …').replace(/ [^ ]*\/[^ ]*| "[^"]*"|\([^)]*\)/g, ' …').slice(0, 110);
        reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
      }
    }
    const total = model.charts.size;
    releases += total;
    inRepository += here;
    live += applied;
    liveInRepository += appliedHere;
    console.log(`| ${repo} | ${total} | ${here} | ${total ? ((100 * here) / total).toFixed(1) : '—'} % | ${applied} | ${appliedHere} |`);
  }
  console.log(`| **total** | ${releases} | ${inRepository} | ${((100 * inRepository) / releases).toFixed(1)} % | ${live} | ${liveInRepository} (${((100 * liveInRepository) / live).toFixed(1)} %) |`);
  if (process.argv.includes('--reasons')) for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`${n}\t${reason}`);
}

void main();
