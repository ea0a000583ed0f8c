// The CLI's JSON shape is an interface other tools rely on: change it only with a version bump.
import type { Finding } from '../rules/types';

export interface JsonFinding {
  rule: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  related: { file: string; line: number; column: number; message: string }[];
}

export function toJson(findings: readonly Finding[]): { version: 1; findings: JsonFinding[] } {
  return {
    version: 1,
    findings: findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      file: f.file,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      message: f.message,
      related: (f.related ?? []).map((r) => ({ file: r.file, line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message })),
    })),
  };
}
