import * as path from 'node:path';
import { readdirSync } from 'node:fs';
import { RepoModel } from './server/src/model/model';
import { RULE_IDS } from './server/src/rules';
(async () => {
  const CORPUS = '/work/shared/corpus';
  for (const repo of readdirSync(CORPUS).filter((d) => !d.endsWith('.md'))) {
    const model = await RepoModel.load(path.join(CORPUS, repo), RULE_IDS);
    const seen = new Map<string, number>();
    for (const [r, { resolution }] of model.charts) {
      if (resolution.status !== 'unresolved' || /no chart cache/.test(resolution.reason)) continue;
      const key = resolution.reason.replace(/ [^ ]*\/[^ ]*/, ' X');
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if (seen.get(key)! <= 2) console.log(repo, r.file, '|', resolution.reason);
    }
  }
})();
