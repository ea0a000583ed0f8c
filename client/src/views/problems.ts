// Problem counts of tree items: sums, wording, and the URIs that carry them to the decoration
// provider. Pure: no `vscode`, so unit tests import it directly.
import type { ProblemCounts } from '../../../server/src/protocol';

export const NO_PROBLEMS: ProblemCounts = { errors: 0, warnings: 0, others: 0 };

/** The URI scheme of tree items' decoration URIs; nothing is ever read from it. */
export const PROBLEMS_SCHEME = 'gitops-guardrails-problems';

export function sumProblems(counts: readonly ProblemCounts[]): ProblemCounts {
  return counts.reduce(
    (sum, c) => ({ errors: sum.errors + c.errors, warnings: sum.warnings + c.warnings, others: sum.others + c.others }),
    NO_PROBLEMS,
  );
}

export function hasProblems(counts: ProblemCounts | undefined): counts is ProblemCounts {
  return counts !== undefined && counts.errors + counts.warnings + counts.others > 0;
}

/** "1 error", "2 errors". */
export const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "2 errors, 1 warning"; undefined when there is nothing to say. */
export function describeProblems(counts: ProblemCounts | undefined): string | undefined {
  if (!hasProblems(counts)) return undefined;
  const parts: string[] = [];
  if (counts.errors > 0) parts.push(plural(counts.errors, 'error', 'errors'));
  if (counts.warnings > 0) parts.push(plural(counts.warnings, 'warning', 'warnings'));
  if (counts.others > 0) parts.push(plural(counts.others, 'other problem', 'other problems'));
  return parts.join(', ');
}

export interface ProblemBadge {
  /** At most two characters: a decoration badge is that small. */
  text: string;
  severity: 'error' | 'warning';
  tooltip: string;
}

/** The badge of an item: its error count, else its warning count; information alone is no badge. */
export function problemBadge(counts: ProblemCounts | undefined): ProblemBadge | undefined {
  if (!counts || counts.errors + counts.warnings === 0) return undefined;
  const severity = counts.errors > 0 ? 'error' : 'warning';
  const n = severity === 'error' ? counts.errors : counts.warnings;
  return { text: n > 9 ? '9+' : String(n), severity, tooltip: describeProblems(counts)! };
}

/**
 * The decoration URI of a tree item. It carries the counts in its query, so a changed count is a
 * new URI and the tree re-asks for its decoration without a change event.
 */
export function problemsUriString(itemId: string, counts: ProblemCounts): string {
  return `${PROBLEMS_SCHEME}:/${encodeURIComponent(itemId)}?e=${counts.errors}&w=${counts.warnings}&o=${counts.others}`;
}

export function problemsFromQuery(query: string): ProblemCounts {
  const params = new URLSearchParams(query);
  const read = (key: string) => {
    const n = Number(params.get(key));
    return Number.isInteger(n) && n > 0 ? n : 0;
  };
  return { errors: read('e'), warnings: read('w'), others: read('o') };
}
