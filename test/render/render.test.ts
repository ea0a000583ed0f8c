// The render engine against kubectl kustomize: every kustomization folder of the corpus and of
// examples/ built by model/build and compared with the goldens of scripts/render-goldens.mjs.
// RESULTS.md holds the counts and the known differences; this test asserts both exactly, so a
// regression and a fix both show. RENDER_RESULTS=write rewrites RESULTS.md from this run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRepo, goldenRepos, repoDir, type FolderOutcome } from './goldens';

const RESULTS = join(__dirname, 'RESULTS.md');
const UNSEEN_SECTION = '## Repositories the tests have never seen';

interface RepoCounts {
  repo: string;
  folders: number;
  equal: number;
  refused: number;
  unresolved: number;
  differing: number;
}

function countsOf(repo: string, outcomes: FolderOutcome[]): RepoCounts {
  const n = (v: string) => outcomes.filter((o) => o.verdict === v).length;
  return { repo, folders: outcomes.length, equal: n('equal'), refused: n('refused-and-reported'), unresolved: n('unresolved'), differing: n('differing') };
}

function render(rows: RepoCounts[], differing: Array<{ repo: string; folder: string; reason: string }>): string {
  const total = rows.reduce((t, r) => ({ ...t, folders: t.folders + r.folders, equal: t.equal + r.equal, refused: t.refused + r.refused, unresolved: t.unresolved + r.unresolved, differing: t.differing + r.differing }), { repo: 'total', folders: 0, equal: 0, refused: 0, unresolved: 0, differing: 0 });
  const fraction = (r: RepoCounts) => {
    const buildable = r.folders - r.refused - r.unresolved;
    return buildable === 0 ? '-' : `${((100 * r.equal) / buildable).toFixed(1)} %`;
  };
  const line = (r: RepoCounts) => `| ${r.repo} | ${r.folders} | ${r.equal} | ${r.refused} | ${r.unresolved} | ${r.differing} | ${fraction(r)} |`;
  return [
    '# Render goldens: results',
    '',
    'model/build compared with `kubectl kustomize --load-restrictor LoadRestrictionsNone` (kustomize v5.5) on every',
    'kustomization folder of `../shared/corpus` and `examples/` (goldens: `scripts/render-goldens.mjs`). Equal: the same',
    'objects with the same content. Refused and reported: kustomize refuses the folder and so does the engine (a build',
    'error). Unresolved: kustomize needs the network or Helm, and the engine says what it cannot see. The equal',
    'fraction is over the folders kustomize builds. Rewritten by',
    '`RENDER_RESULTS=write node --import tsx --test test/render/render.test.ts`; the test asserts this file.',
    '',
    '| repository | folders | equal | refused and reported | unresolved | differing | equal fraction |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(line),
    line(total),
    '',
    '## Known differences',
    '',
    ...(differing.length === 0 ? ['None.'] : differing.map((d) => `- \`${d.repo}\` \`${d.folder}\`: ${d.reason}`)),
    '',
  ].join('\n');
}

test('every kustomization folder builds as kubectl kustomize builds it', { timeout: 900_000 }, async (t) => {
  const rows: RepoCounts[] = [];
  const differing: Array<{ repo: string; folder: string; reason: string }> = [];
  const repos = goldenRepos().filter((repo) => repoDir(repo) !== undefined);
  if (repos.length < goldenRepos().length) t.diagnostic(`skipped repositories not on this machine: ${goldenRepos().filter((r) => !repos.includes(r)).join(', ')}`);
  for (const repo of repos) {
    const outcomes = await compareRepo(repo);
    const counts = countsOf(repo, outcomes);
    rows.push(counts);
    for (const o of outcomes) if (o.verdict === 'differing') differing.push({ repo, folder: o.folder, reason: (o.reason ?? '').replace(/\s+/g, ' ') });
    t.diagnostic(`${repo}: ${counts.equal}/${counts.folders - counts.refused - counts.unresolved} equal, ${counts.refused} refused and reported, ${counts.unresolved} unresolved, ${counts.differing} differing`);
  }
  const text = render(rows, differing);
  // The section on repositories the tests have never seen is written by hand from
  // scripts/compare-unseen.ts (it needs kubectl and those repositories): kept as it is.
  const before = readFileSync(RESULTS, 'utf8');
  const unseen = before.indexOf(UNSEEN_SECTION);
  if (process.env.RENDER_RESULTS === 'write') writeFileSync(RESULTS, unseen >= 0 ? `${text}\n${before.slice(unseen)}` : text);
  const total = rows.reduce((s, r) => s + r.folders - r.refused - r.unresolved, 0);
  const equal = rows.reduce((s, r) => s + r.equal, 0);
  t.diagnostic(`equal fraction: ${equal}/${total} (${((100 * equal) / Math.max(1, total)).toFixed(1)} %)`);
  const expected = readFileSync(RESULTS, 'utf8');
  // Known differences: exactly the listed folders differ (reasons may word themselves differently).
  const listed = new Set([...expected.matchAll(/^- `([^`]+)` `([^`]+)`:/gm)].map((m) => `${m[1]} ${m[2]}`));
  assert.deepEqual(new Set(differing.map((d) => `${d.repo} ${d.folder}`)), listed, 'the differing folders are not the ones RESULTS.md lists');
  for (const row of rows) {
    const at = expected.split('\n').find((l) => l.startsWith(`| ${row.repo} |`));
    assert.ok(at, `RESULTS.md has no row for ${row.repo}`);
    const cells = at.split('|').map((c) => c.trim());
    assert.deepEqual(cells.slice(2, 7).map(Number), [row.folders, row.equal, row.refused, row.unresolved, row.differing], `counts of ${row.repo}`);
  }
});
