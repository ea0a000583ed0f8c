// Levenshtein distance, for "did you mean" suggestions.
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

/** The candidates within a small distance of `name`, closest first. */
export function closeNames(name: string, candidates: Iterable<string>, limit = Math.max(2, Math.floor(name.length / 4))): string[] {
  // The distance costs the product of the lengths: a name longer than any real one gets no
  // suggestion, and a candidate whose length alone is too far is not measured.
  if (name.length > MAX_SUGGESTED_LENGTH) return [];
  return [...candidates]
    .filter((c) => c.length <= MAX_SUGGESTED_LENGTH && Math.abs(c.length - name.length) <= limit)
    .map((c) => [c, editDistance(c, name)] as const)
    .filter(([, d]) => d > 0 && d <= limit)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .map(([c]) => c);
}
