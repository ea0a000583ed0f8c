// Levenshtein distance and the index behind every "did you mean": a lookup measures only the names
// that can be within the distance asked, never every name.
import { derived } from './query';

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** Names (paths, rule ids, Kubernetes names) longer than this get no "did you mean". */
export const MAX_SUGGESTED_LENGTH = 512;

/** The candidates within a small distance of `name`, closest first (then alphabetically). */
export function closeNames(name: string, candidates: readonly string[] | ReadonlySet<string>, limit = Math.max(2, Math.floor(name.length / 4))): string[] {
  return nameIndexOf(candidates)
    .near(name, limit)
    .filter(([, d]) => d > 0)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .map(([c]) => c);
}

/** The index of a list or set of names, made once per list (the caller keeps the list's identity while its names stand). */
export const nameIndexOf = derived((names: readonly string[] | ReadonlySet<string>): NameIndex => new NameIndex([...names]));

/**
 * Names by their trigrams and lengths. Two strings within edit distance k share at least
 * max(distinct trigrams of either) − 3k distinct trigrams (the q-gram lemma: an edit touches at most
 * three trigram positions), so a name within k holds at least one of any 3k + 1 of the query's
 * trigrams: a lookup reads the postings of the query's 3k + 1 rarest trigrams only (prefix
 * filtering), then counts, then measures the few names left. A query too short for that bound
 * reads the names whose length is within k. The answer is exactly the names within k.
 */
export class NameIndex {
  readonly #postings = new Map<string, number[]>();
  readonly #grams: Set<string>[] = [];
  readonly #byLength = new Map<number, number[]>();

  constructor(readonly names: readonly string[]) {
    names.forEach((name, i) => {
      // A name longer than any real one is never suggested: its trigrams would cost memory in
      // proportion to its length, and its distance the product of the lengths.
      if (name.length > MAX_SUGGESTED_LENGTH) {
        this.#grams.push(new Set());
        return;
      }
      const grams = trigrams(name);
      this.#grams.push(grams);
      for (const gram of grams) {
        let list = this.#postings.get(gram);
        if (!list) this.#postings.set(gram, (list = []));
        list.push(i);
      }
      let bucket = this.#byLength.get(name.length);
      if (!bucket) this.#byLength.set(name.length, (bucket = []));
      bucket.push(i);
    });
  }

  /** Every name within edit distance `k` of `query` (itself included), with its distance, in the names' order. */
  near(query: string, k: number): [name: string, distance: number][] {
    if (query.length > MAX_SUGGESTED_LENGTH || k < 0) return [];
    const grams = trigrams(query);
    let candidates: number[];
    if (grams.size > 3 * k) {
      const rarest = [...grams].map((gram) => this.#postings.get(gram) ?? []).sort((a, b) => a.length - b.length).slice(0, 3 * k + 1);
      const seen = new Set<number>();
      for (const list of rarest) for (const i of list) seen.add(i);
      candidates = [...seen];
    } else {
      candidates = [];
      for (let length = Math.max(0, query.length - k); length <= query.length + k; length++) candidates.push(...(this.#byLength.get(length) ?? []));
    }
    const result: [string, number][] = [];
    for (const i of candidates.sort((a, b) => a - b)) {
      const name = this.names[i];
      if (name.length > MAX_SUGGESTED_LENGTH || Math.abs(name.length - query.length) > k) continue;
      const own = this.#grams[i];
      let shared = 0;
      for (const gram of own) if (grams.has(gram)) shared++;
      if (shared < Math.max(own.size, grams.size) - 3 * k) continue;
      const distance = editDistance(name, query);
      if (distance <= k) result.push([name, distance]);
    }
    return result;
  }
}

function trigrams(text: string): Set<string> {
  const grams = new Set<string>();
  if (text.length === 0) return grams;
  const padded = `  ${text} `;
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return grams;
}
