// The incremental edits of `npm run bench` alone, on the dense profile (not a test): a one-line
// edit (replicas 2↔3 in a workload) and a structural one (spec.path of a Flux Kustomization,
// `./x` ↔ `./x/`), setFile + runChecks on a loaded, checked model; wall and CPU per edit, and the
// time of each rule on the edit (which rules did not keep their findings). With EDITS_PROFILE=FILE
// it writes a V8 CPU profile of the structural edits (open it in Chrome's DevTools) and prints the
// functions of most self time and the files of most total time.
//   BENCH_FILES=5000 node --expose-gc --import tsx bench/edits.ts
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { runChecks } from '../server/src/check';
import { RepoModel } from '../server/src/model/model';
import { RULE_IDS, RULES } from '../server/src/rules';
import { ensureRepo } from './generate';
import { loadAverage } from './measure';

const FILES = Number(process.env.BENCH_FILES ?? 5000);
const EDITS = Number(process.env.EDITS ?? 20);
const PROFILE = process.env.EDITS_PROFILE;

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(0.95 * values.length) - 1)];

interface Series {
  wall: number[];
  cpu: number[];
  /** Wall time of setFile, and of deriving the graph and layers after it. */
  setFile: number[];
  derive: number[];
}

function series(model: RepoModel, file: string, variants: [string, string], count: number): Series {
  const s: Series = { wall: [], cpu: [], setFile: [], derive: [] };
  for (let i = 0; i < count; i++) {
    const c = cpuNow();
    const start = performance.now();
    model.setFile(file, variants[(i + 1) % 2]);
    const set = performance.now();
    void model.graph;
    void model.layers;
    const derived = performance.now();
    runChecks(model);
    const end = performance.now();
    s.wall.push(end - start);
    s.cpu.push(cpuNow() - c);
    s.setFile.push(set - start);
    s.derive.push(derived - set);
  }
  model.setFile(file, variants[0]);
  runChecks(model);
  return s;
}

/** Each rule's time inside runChecks (check and checkFile wrapped), per edit of a series. */
function rulesInChecks(model: RepoModel, file: string, variants: [string, string], count: number): [string, number][] {
  const totals = new Map<string, number>();
  const originals = RULES.map((rule) => [rule.check, rule.checkFile] as const);
  const timed = <A extends unknown[], R>(id: string, fn: (...args: A) => R) => (...args: A): R => {
    const start = performance.now();
    try {
      return fn(...args);
    } finally {
      totals.set(id, (totals.get(id) ?? 0) + performance.now() - start);
    }
  };
  for (const rule of RULES) {
    (rule as { check: typeof rule.check }).check = timed(rule.id, rule.check);
    if (rule.checkFile) (rule as { checkFile: typeof rule.checkFile }).checkFile = timed(rule.id, rule.checkFile);
  }
  try {
    series(model, file, variants, count);
  } finally {
    RULES.forEach((rule, i) => {
      (rule as { check: typeof rule.check }).check = originals[i][0];
      (rule as { checkFile: typeof rule.checkFile }).checkFile = originals[i][1];
    });
  }
  return [...totals].map(([id, t]) => [id, t / count] as [string, number]).sort((a, b) => b[1] - a[1]);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

function summarize(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const fileTotal = new Map<string, number>();
  const short = (url: string) => url.replace(/^file:\/\//, '').replace(/.*\/(server|bench|node_modules)\//, '$1/');
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(profile.samples[i])!;
    const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    self.set(name(leaf), (self.get(name(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    const seenFiles = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id)!;
      const key = name(n);
      if (!seen.has(key)) total.set(key, (total.get(key) ?? 0) + dt);
      seen.add(key);
      const file = short(n.callFrame.url);
      if (file && !seenFiles.has(file)) fileTotal.set(file, (fileTotal.get(file) ?? 0) + dt);
      seenFiles.add(file);
    }
  }
  const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`\nSelf time (ms, all ${EDITS} structural edits)`);
  for (const [k, v] of top(self, 25)) console.log(`  ${v.toFixed(0).padStart(6)}  ${k}`);
  console.log('\nTotal time (ms), functions');
  for (const [k, v] of top(total, 45)) console.log(`  ${v.toFixed(0).padStart(6)}  ${k}`);
  console.log('\nTotal time (ms), files');
  for (const [k, v] of top(fileTotal, 30)) console.log(`  ${v.toFixed(0).padStart(6)}  ${k}`);
}

async function main(): Promise<void> {
  const repo = await ensureRepo(FILES, undefined, 'dense');
  const model = await RepoModel.load(repo.root, RULE_IDS);
  runChecks(model);
  console.log(`${repo.root}: ${model.files.size} YAML files; load average ${loadAverage()}`);
  const workload = [...model.files.keys()].find((f) => /\/app\.yaml$/.test(f) && model.file(f)!.text.includes('replicas: 2'))!;
  const original = model.file(workload)!.text;
  const small: [string, string] = [original, original.replace('replicas: 2', 'replicas: 3')];
  const ks = model.graph.fluxKustomizations.find((k) => k.resource.file.endsWith('/apps.yaml') && k.path.startsWith('./environments/'))!;
  const ksText = model.file(ks.resource.file)!.text;
  const line = `  path: ${ks.path}\n`;
  const structural: [string, string] = [ksText, ksText.replace(line, `  path: ${ks.path}/\n`)];
  // Warm-up: the code paths compiled, every cache filled once.
  series(model, workload, small, 4);
  series(model, ks.resource.file, structural, 4);
  (globalThis as { gc?: () => void }).gc?.();
  const one = series(model, workload, small, EDITS * 2);
  const st = series(model, ks.resource.file, structural, EDITS);
  const fmt = (s: Series) =>
    `median ${median(s.wall).toFixed(1)} ms, p95 ${p95(s.wall).toFixed(1)} ms, cpu median ${median(s.cpu).toFixed(1)} ms (setFile ${median(s.setFile).toFixed(1)} ms, graph + layers ${median(s.derive).toFixed(1)} ms)`;
  console.log(`one-line edit (replicas in ${workload}), ${one.wall.length} edits: ${fmt(one)}`);
  console.log(`structural edit (spec.path of ${ks.name} in ${ks.resource.file}), ${st.wall.length} edits: ${fmt(st)}`);
  console.log(`load average ${loadAverage()}`);
  console.log('\nRules inside runChecks after a structural edit (ms per edit, mean; 0.5 ms and more)');
  for (const [id, t] of rulesInChecks(model, ks.resource.file, structural, 6).filter(([, t]) => t >= 0.5)) console.log(`  ${t.toFixed(1).padStart(7)}  ${id}`);
  console.log('\nRules inside runChecks after a one-line edit (ms per edit, mean; 0.5 ms and more)');
  for (const [id, t] of rulesInChecks(model, workload, small, 10).filter(([, t]) => t >= 0.5)) console.log(`  ${t.toFixed(1).padStart(7)}  ${id}`);
  if (PROFILE) {
    const session = new Session();
    session.connect();
    const post = (method: string, params?: object) => new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
    series(model, ks.resource.file, structural, EDITS);
    const { profile } = await post('Profiler.stop');
    writeFileSync(PROFILE, JSON.stringify(profile));
    summarize(profile);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
