// Findings that several clusters (or groups) report alike, reported once.
import type { RuleFinding } from './types';

/** The findings of keyed findings, the first of each key only (a document seen in several clusters). */
export function onePerKey(found: ReadonlyArray<{ key: string; finding: RuleFinding }>): RuleFinding[] {
  const seen = new Set<string>();
  const findings: RuleFinding[] = [];
  for (const { key, finding } of found) {
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}
