// Prints the table of EXPECTED.md for what the checker finds on ../shared/corpus today, keeping
// the verdict of every row whose repository, rule and severity are unchanged and marking new rows
// "TODO". A developer tool for reviewing a change's effect on the corpus; the corpus test parses
// EXPECTED.md, never this script's output.
//   node --import tsx test/corpus/rebaseline.ts [--details] > /tmp/table.md
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { runChecks } from '../../server/src/check';
import { RepoModel } from '../../server/src/model/model';
import { RULE_IDS } from '../../server/src/rules';
import { category } from './categories';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
const details = process.argv.includes('--details');

function verdicts(): Map<string, { count: number; verdict: string }> {
  const result = new Map<string, { count: number; verdict: string }>();
  for (const line of readFileSync(path.join(__dirname, 'EXPECTED.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 7 || !/^\d+$/.test(cells[4])) continue;
    result.set(`${cells[1]} | ${cells[2]} | ${cells[3]}`, { count: Number(cells[4]), verdict: cells[5] });
  }
  return result;
}

async function main(): Promise<void> {
  const old = verdicts();
  const repos = readdirSync(CORPUS).filter((d) => existsSync(path.join(CORPUS, d)) && !d.endsWith('.md')).sort();
  const rows: string[] = [];
  const detailLines: string[] = [];
  for (const repo of repos) {
    const model = await RepoModel.load(path.join(CORPUS, repo), RULE_IDS);
    const findings = runChecks(model, { onRuleError: (rule, e) => detailLines.push(`RULE THREW ${repo} ${rule.id}: ${(e as Error).message}`) });
    const counts = new Map<string, number>();
    for (const f of findings) {
      counts.set(category(f), (counts.get(category(f)) ?? 0) + 1);
      if (details && f.severity !== 'information') detailLines.push(`${repo} ${f.rule} ${f.severity} ${f.file}:${f.range.start.line + 1} ${f.message}`);
    }
    if (counts.size === 0) rows.push(`| ${repo} | (none) | | 0 | ${old.get(`${repo} | (none) | `)?.verdict ?? 'TODO'} |`);
    for (const [key, count] of [...counts].sort()) {
      const previous = old.get(`${repo} | ${key}`);
      const verdict = previous ? (previous.count === count ? previous.verdict : `TODO (was ${previous.count}) ${previous.verdict}`) : 'TODO';
      rows.push(`| ${repo} | ${key} | ${count} | ${verdict} |`);
    }
  }
  console.log(['| repository | rule | severity | count | verdict |', '|---|---|---|---|---|', ...rows].join('\n'));
  if (details) console.log(['', ...detailLines].join('\n'));
}

void main();
