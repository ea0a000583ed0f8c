import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonFinding } from '../../../server/src/output/json';
import { fileURLToPath } from 'node:url';
import { EXTENSION_DIR } from './paths';
import { runCommand } from './processes';

/**
 * A finding as both the CLI and an LSP client can state it: the file relative to the checked
 * folder, the rule, and a 1-based range. Comparing these proves both front ends agree.
 */
export interface ComparableFinding {
  file: string;
  rule: string;
  severity: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** What `check --format json` prints for one finding (the CLI's own type). */
type CliFinding = JsonFinding;

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
}

const LSP_SEVERITY: Record<number, string> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

function normalSeverity(severity: string): string {
  return severity === 'information' ? 'info' : severity;
}

export function sortFindings(findings: ComparableFinding[]): ComparableFinding[] {
  const key = (f: ComparableFinding) => [f.file, String(f.line).padStart(6), String(f.column).padStart(6), f.rule, String(f.endLine).padStart(6), String(f.endColumn).padStart(6)].join('\u0000');
  return [...findings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `gitops-guardrails check <folder> --format json`, the findings CI would report. */
export async function cliFindings(folder: string): Promise<{ findings: ComparableFinding[]; raw: CliFinding[] }> {
  const cli = path.join(EXTENSION_DIR, 'dist', 'cli.js');
  const result = await runCommand(process.execPath, [cli, 'check', folder, '--format', 'json'], { cwd: EXTENSION_DIR, timeoutMs: 60_000 });
  let report: { version: number; findings: CliFinding[] };
  try {
    report = JSON.parse(result.stdout) as typeof report;
  } catch {
    throw new Error(`the CLI did not print JSON (exit ${result.code}):\n${result.stdout.slice(0, 2000)}\n${result.stderr.slice(0, 2000)}`);
  }
  const toRelative = (file: string) => {
    // The CLI may name files relative to the checked folder, to its working directory, or absolutely.
    const candidates = [path.resolve(folder, file), path.resolve(EXTENSION_DIR, file)];
    const absolute = candidates.find((candidate) => fs.existsSync(candidate)) ?? candidates[0]!;
    return path.relative(folder, absolute).split(path.sep).join('/');
  };
  const findings = report.findings.map((f) => ({
    file: toRelative(f.file),
    rule: f.rule,
    severity: normalSeverity(f.severity),
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
  }));
  return { findings: sortFindings(findings), raw: report.findings };
}

/** Turns publishDiagnostics payloads (URI → diagnostics) into comparable findings. */
export function findingsFromPublishedDiagnostics(folder: string, published: Record<string, LspDiagnostic[]>): ComparableFinding[] {
  const findings: ComparableFinding[] = [];
  for (const [uri, diagnostics] of Object.entries(published)) {
    const file = path.relative(folder, fileURLToPath(uri)).split(path.sep).join('/');
    for (const d of diagnostics) {
      findings.push({
        file,
        rule: String(d.code ?? ''),
        severity: LSP_SEVERITY[d.severity ?? 1] ?? String(d.severity),
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
      });
    }
  }
  return sortFindings(findings);
}

export function formatFinding(f: ComparableFinding): string {
  return `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity} ${f.rule}`;
}

/** A readable difference of two finding lists: what only one side has. */
export function diffFindings(expected: ComparableFinding[], actual: ComparableFinding[]): string {
  const expectedLines = expected.map(formatFinding);
  const actualLines = actual.map(formatFinding);
  const missing = expectedLines.filter((line) => !actualLines.includes(line));
  const extra = actualLines.filter((line) => !expectedLines.includes(line));
  return [
    ...missing.map((line) => `  only in CLI:    ${line}`),
    ...extra.map((line) => `  only in neovim: ${line}`),
  ].join('\n');
}
