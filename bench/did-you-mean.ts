// Micro-benchmark (not a test): did-you-mean for N unknown names among N known ones, through the
// name index (model/distance.ts) and by measuring every pair as before, at 1,000 and 5,000.
// Linear or n·log n grows ≈ 5–6× from 1,000 to 5,000; all pairs grow ≈ 25×. The index and all
// pairs must find the same suggestions (the script throws otherwise).
//   node --import tsx bench/did-you-mean.ts
import { editDistance, NameIndex } from '../server/src/model/distance';
import { loadAverage } from './measure';

const APPS = ['gitea', 'grafana', 'loki', 'prometheus', 'cert-manager', 'ingress-nginx', 'external-dns', 'podinfo', 'redis', 'postgres'];

/** A seeded generator (mulberry32), so every run measures the same names. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Family = (n: number) => { known: string[]; unknown: string[] };

/** Distinct names (two random syllable words) and a typo in each: about one suggestion per name. */
const distinct: Family = (n) => {
  const random = prng(n);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const word = () => Array.from({ length: 4 + Math.floor(random() * 6) }, () => letters[Math.floor(random() * 26)]).join('');
  const known = [...new Set(Array.from({ length: n * 2 }, () => `${word()}-${word()}`))].slice(0, n);
  const unknown = known.map((name) => {
    const at = Math.floor(random() * name.length);
    return `${name.slice(0, at)}${letters[Math.floor(random() * 26)]}${name.slice(at + 1)}`;
  });
  return { known, unknown };
};

/**
 * Names as the dense bench profile writes them (`gitea-512`) and a letter added to each: every
 * name has more neighbours as N grows (gitea-5120 … gitea-5129 are one edit from gitea-512x), so
 * the answer itself grows with N² and no index can be linear here; the suggestions are the same.
 */
const numbered: Family = (n) => {
  const known = Array.from({ length: n }, (_, i) => `${APPS[i % APPS.length]}-${i}`);
  return { known, unknown: known.map((name) => `${name}x`) };
};

function allPairs(known: readonly string[], query: string, k: number): string[] {
  return known.filter((c) => Math.abs(c.length - query.length) <= k && c !== query && editDistance(c, query) <= k).sort();
}

function time(run: () => number): { ms: number; found: number } {
  const started = process.hrtime.bigint();
  const found = run();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, found };
}

console.log(`did-you-mean, N unknown names among N known ones, index best of 3, all pairs once (load average ${loadAverage()})`);
for (const [label, family] of [['distinct names, a typo each', distinct], ['numbered names (gitea-512x), output-bound', numbered]] as const) {
  console.log(`  ${label}`);
  const results: Record<string, number> = {};
  for (const n of [1000, 5000]) {
    const { known, unknown } = family(n);
    const k = (q: string) => Math.max(1, Math.floor(q.length / 4));
    let indexed = Infinity;
    let pairs = Infinity;
    let found = [0, 0];
    // All pairs once (minutes at 5,000 on a loaded machine), the index best of 3.
    for (let round = 0; round < 3; round++) {
      const a = time(() => {
        const index = new NameIndex(known);
        return unknown.reduce((sum, q) => sum + index.near(q, k(q)).filter(([name]) => name !== q).length, 0);
      });
      const b = round > 0 ? { ms: Infinity, found: found[1] } : time(() => unknown.reduce((sum, q) => sum + allPairs(known, q, k(q)).length, 0));
      indexed = Math.min(indexed, a.ms);
      pairs = Math.min(pairs, b.ms);
      found = [a.found, b.found];
    }
    if (found[0] !== found[1]) throw new Error(`the index found ${found[0]} suggestions, all pairs ${found[1]}`);
    results[`index ${n}`] = indexed;
    results[`pairs ${n}`] = pairs;
    results[`found ${n}`] = found[0];
    console.log(`    N = ${String(n).padStart(5)}   index ${indexed.toFixed(1).padStart(8)} ms   all pairs ${pairs.toFixed(1).padStart(9)} ms   ${found[0]} suggestions (the same)`);
  }
  console.log(`    growth 1,000 → 5,000: index ${(results['index 5000'] / results['index 1000']).toFixed(1)}×, all pairs ${(results['pairs 5000'] / results['pairs 1000']).toFixed(1)}×, suggestions ${(results['found 5000'] / results['found 1000']).toFixed(1)}×`);
}
