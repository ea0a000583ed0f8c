// `gitops-guardrails build` against `kubectl kustomize --load-restrictor LoadRestrictionsNone` on
// repositories the tests have never seen: for every kustomization folder of each DIR it runs both,
// normalises both outputs as the goldens test does (objects sorted by kind/namespace/name, a hash
// of each object's canonical JSON) and prints per repository how many folders are equal, refused by
// both, refused only by us, unresolved (and why) and different. It needs kubectl, and no network:
// a folder the engine sees a remote base in is not given to kubectl, and kubectl runs in a network
// namespace of its own where the system allows it (`unshare -rn`), so a remote base it meets anyway
// fails and counts as unresolved. Nothing of the repositories is written anywhere but --cache.
//
// Usage: node --import tsx scripts/compare-unseen.ts [--details] [--cache DIR] [--json FILE] DIR...
//   --details   each folder that is not equal or refused by both, with the reason
//   --cache DIR keep kubectl's output per repository under DIR (the repositories are read only, so
//               a second run compares at once); without it kubectl runs every time
//   --json FILE the counts and the folders behind them as JSON
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
// @ts-ignore -- a plain ES module shared with scripts/render-goldens.mjs
import { canonicalJson, isRemoteFailure, kustomizationFolders, kustomize, kustomizeMessage, normalise } from './render-goldens.mjs';
import { buildOutput, loadModel } from '../server/src/cli';
import { readPrinted } from '../test/render/goldens';

type Category = 'equal' | 'refused-and-reported' | 'we-refused' | 'unresolved' | 'different';
/** Why a folder is unresolved: what neither tool can see here. */
type Unseen = 'remote' | 'helm' | 'outside' | 'other';

interface Outcome {
  folder: string;
  category: Category;
  unseen?: Unseen;
  reason?: string;
}

interface Kubectl {
  stdout?: string;
  error?: string;
  /** Not run: the engine saw a remote base (kubectl would need the network). */
  skipped?: true;
}

function parseObjects(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS({ maxAliasCount: 1000 }))
    .filter((o) => o != null);
}

function unseenOf(stderr: string): Unseen {
  if (/cannot build .*: (remote (resource|component)|generator input [a-z][a-z0-9+.-]*:\/\/)/i.test(stderr)) return 'remote';
  if (/helmCharts are inflated by Helm/.test(stderr)) return 'helm';
  if (/is outside the repository/.test(stderr)) return 'outside';
  return 'other';
}

function firstLine(text: string): string {
  return text.replace(/^gitops-guardrails: /, '').split('\n')[0].replace(/\s+/g, ' ').slice(0, 240);
}

/** The first path at which two JSON values differ, with both values (for --details). */
function firstDifference(a: any, b: any, path = ''): string | undefined {
  if (canonicalJson(a) === canonicalJson(b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference(a[k], b[k], `${path}/${k}`);
      if (d) return d;
    }
  }
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v).slice(0, 120));
  return `${path || '/'}: kustomize ${show(a)}, we ${show(b)}`;
}

function compareObjects(theirsText: string, oursText: string): { equal: boolean; reason?: string } {
  const theirs = parseObjects(theirsText);
  const printed = readPrinted(oursText);
  if (printed.ambiguous) return { equal: false, reason: printed.ambiguous };
  const ours = printed.objects;
  const t = normalise(theirs) as Array<[string, string]>;
  const o = normalise(ours) as Array<[string, string]>;
  if (JSON.stringify(t) === JSON.stringify(o)) return { equal: true };
  const ourIds = new Set(o.map((x) => x[0]));
  const theirIds = new Set(t.map((x) => x[0]));
  const missing = [...theirIds].filter((id) => !ourIds.has(id));
  const extra = [...ourIds].filter((id) => !theirIds.has(id));
  if (missing.length > 0 || extra.length > 0) return { equal: false, reason: `objects: missing ${missing.slice(0, 3).join(', ') || '-'}; extra ${extra.slice(0, 3).join(', ') || '-'}` };
  const id = (x: any) => `${x?.kind ?? ''}|${x?.metadata?.namespace ?? ''}|${x?.metadata?.name ?? ''}|${x?.apiVersion ?? ''}`;
  const changed = t.find((x) => !o.some((y) => y[0] === x[0] && y[1] === x[1]));
  const a = theirs.find((x) => id(x) === changed?.[0]);
  const b = ours.find((x) => id(x) === changed?.[0]);
  return { equal: false, reason: `content differs: ${changed?.[0]} ${firstDifference(a, b) ?? ''}` };
}

function judge(folder: string, ours: { code: number; stdout: string; stderr: string }, k: Kubectl, repoDir: string): Outcome {
  const kustomizeRefused = k.error !== undefined ? kustomizeMessage(k.error, repoDir).replace(/\s+/g, ' ').slice(0, 200) : undefined;
  const kustomizeRemote = k.skipped === true || (k.error !== undefined && isRemoteFailure(k.error));
  const ourUnresolved = ours.code !== 0 && !/kustomize would refuse/.test(ours.stderr);
  if (ourUnresolved) {
    const unseen = unseenOf(ours.stderr);
    if (kustomizeRemote || unseen === 'outside') return { folder, category: 'unresolved', unseen, reason: firstLine(ours.stderr) };
    if (kustomizeRefused !== undefined) return { folder, category: 'unresolved', unseen, reason: `${firstLine(ours.stderr)}; kustomize refuses: ${kustomizeRefused}` };
    return { folder, category: 'different', reason: `we say unresolved (${firstLine(ours.stderr)}); kustomize builds it` };
  }
  if (kustomizeRemote) return { folder, category: 'different', reason: `kustomize needs the network or Helm (${kustomizeRefused}); we ${ours.code === 0 ? 'build it' : `refuse: ${firstLine(ours.stderr)}`}` };
  if (kustomizeRefused !== undefined) {
    if (ours.code !== 0) return { folder, category: 'refused-and-reported', reason: `kustomize: ${kustomizeRefused}; we: ${firstLine(ours.stderr)}` };
    return { folder, category: 'different', reason: `kustomize refuses (${kustomizeRefused}); we build it` };
  }
  if (ours.code !== 0) return { folder, category: 'we-refused', reason: firstLine(ours.stderr) };
  const c = compareObjects(k.stdout ?? '', ours.stdout);
  return c.equal ? { folder, category: 'equal' } : { folder, category: 'different', reason: c.reason };
}

function commitOf(dir: string): string {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '-';
  }
}

async function compareRepository(dir: string, cacheDir: string | undefined): Promise<Outcome[]> {
  const name = basename(dir);
  const cacheFile = cacheDir ? join(cacheDir, `${name}.json`) : undefined;
  const cached: Record<string, Kubectl> = cacheFile && existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
  const model = await loadModel(dir, process.env);
  const folders: string[] = kustomizationFolders(dir);
  const outcomes: Outcome[] = new Array(folders.length);
  let next = 0;
  const worker = async () => {
    while (next < folders.length) {
      const i = next++;
      const folder = folders[i];
      let ours: { code: number; stdout: string; stderr: string };
      try {
        ours = buildOutput(model, folder);
      } catch (error) {
        ours = { code: 3, stdout: '', stderr: `engine threw: ${(error as Error).message}` };
      }
      let k = cached[folder];
      if (!k) {
        k = ours.code !== 0 && unseenOf(ours.stderr) === 'remote' ? { skipped: true } : ((await kustomize(join(dir, folder), { offline: true })) as Kubectl);
        cached[folder] = k;
      }
      outcomes[i] = ours.code === 3 ? { folder, category: 'different', reason: ours.stderr } : judge(folder || '.', ours, k, dir);
    }
  };
  await Promise.all([worker(), worker()]);
  if (cacheFile) {
    mkdirSync(cacheDir!, { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(cached));
  }
  return outcomes;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let details = false;
  let cacheDir: string | undefined;
  let jsonFile: string | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--details') details = true;
    else if (args[i] === '--cache') cacheDir = resolve(args[++i]);
    else if (args[i] === '--json') jsonFile = resolve(args[++i]);
    else dirs.push(resolve(args[i]));
  }
  if (dirs.length === 0) {
    console.error('Usage: node --import tsx scripts/compare-unseen.ts [--details] [--cache DIR] [--json FILE] DIR...');
    process.exit(2);
  }
  const header = '| repository | commit | folders | equal | refused by both | we refused, kustomize built (bug) | unresolved (remote/helm/outside/other) | different (bug) |';
  const rows: string[] = [header, '|---|---|---|---|---|---|---|---|'];
  const report: Record<string, { commit: string; outcomes: Outcome[] }> = {};
  const totals = { folders: 0, equal: 0, refused: 0, weRefused: 0, unresolved: [0, 0, 0, 0], different: 0 };
  for (const dir of dirs) {
    const outcomes = await compareRepository(dir, cacheDir);
    const commit = commitOf(dir);
    report[basename(dir)] = { commit, outcomes };
    const n = (c: Category) => outcomes.filter((o) => o.category === c).length;
    const u = (['remote', 'helm', 'outside', 'other'] as Unseen[]).map((w) => outcomes.filter((o) => o.category === 'unresolved' && o.unseen === w).length);
    rows.push(`| ${basename(dir)} | ${commit.slice(0, 12)} | ${outcomes.length} | ${n('equal')} | ${n('refused-and-reported')} | ${n('we-refused')} | ${u.reduce((a, b) => a + b, 0)} (${u.join('/')}) | ${n('different')} |`);
    totals.folders += outcomes.length;
    totals.equal += n('equal');
    totals.refused += n('refused-and-reported');
    totals.weRefused += n('we-refused');
    totals.unresolved = totals.unresolved.map((x, i) => x + u[i]);
    totals.different += n('different');
    if (details) {
      for (const o of outcomes) {
        if (o.category === 'equal') continue;
        process.stderr.write(`${basename(dir)} ${o.folder} [${o.category}${o.unseen ? `:${o.unseen}` : ''}] ${o.reason ?? ''}\n`);
      }
    }
  }
  const t = totals;
  rows.push(`| total | | ${t.folders} | ${t.equal} | ${t.refused} | ${t.weRefused} | ${t.unresolved.reduce((a, b) => a + b, 0)} (${t.unresolved.join('/')}) | ${t.different} |`);
  console.log(rows.join('\n'));
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(report, null, 2));
  process.exitCode = t.weRefused + t.different > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(3);
});
