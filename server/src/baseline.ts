// `check --baseline FILE`: the findings a team has accepted, so that CI fails only on new ones.
// A finding is matched by rule, file and message, never by line: edits above it do not make it new.
// Each baseline entry accepts one finding (two identical findings need two entries).
import type { Finding } from './rules/types';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  rule: string;
  file: string;
  message: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  findings: BaselineEntry[];
}

export function baselineOf(findings: readonly Finding[]): Baseline {
  const entries = findings.map(({ rule, file, message }) => ({ rule, file, message }));
  entries.sort((a, b) => a.file.localeCompare(b.file) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
  return { version: BASELINE_VERSION, findings: entries };
}

export function formatBaseline(baseline: Baseline): string {
  return JSON.stringify(baseline, null, 2) + '\n';
}

/** The baseline in `text`, or why it is not one. */
export function parseBaseline(text: string): Baseline | { error: string } {
  let value: any;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `not JSON (${(error as Error).message})` };
  }
  if (!value || typeof value !== 'object' || value.version !== BASELINE_VERSION || !Array.isArray(value.findings)) {
    return { error: `expected {"version": ${BASELINE_VERSION}, "findings": [...]} as written by check --baseline` };
  }
  const findings: BaselineEntry[] = [];
  for (const [i, entry] of value.findings.entries()) {
    if (!entry || typeof entry.rule !== 'string' || typeof entry.file !== 'string' || typeof entry.message !== 'string') {
      return { error: `findings[${i}] needs "rule", "file" and "message" strings` };
    }
    findings.push({ rule: entry.rule, file: entry.file, message: entry.message });
  }
  return { version: BASELINE_VERSION, findings };
}

/** The findings the baseline does not accept, how many it accepted, and its entries nothing matched. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): { shown: Finding[]; accepted: number; stale: number } {
  const key = (e: BaselineEntry) => `${e.rule}\u0000${e.file}\u0000${e.message}`;
  const remaining = new Map<string, number>();
  for (const entry of baseline.findings) remaining.set(key(entry), (remaining.get(key(entry)) ?? 0) + 1);
  const shown: Finding[] = [];
  let accepted = 0;
  for (const finding of findings) {
    const k = key(finding);
    const left = remaining.get(k) ?? 0;
    if (left > 0) {
      remaining.set(k, left - 1);
      accepted++;
    } else shown.push(finding);
  }
  let stale = 0;
  for (const left of remaining.values()) stale += left;
  return { shown, accepted, stale };
}
