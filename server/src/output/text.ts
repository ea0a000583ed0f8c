import type { Finding } from '../rules/types';

export function formatText(findings: readonly Finding[]): string {
  const lines = findings.map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.rule}: ${f.message}`);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  lines.push(`${findings.length} finding${findings.length === 1 ? '' : 's'}: ${count('error')} error(s), ${count('warning')} warning(s), ${count('information') + count('hint')} other`);
  return lines.join('\n') + '\n';
}
