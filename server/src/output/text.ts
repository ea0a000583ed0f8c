import type { Finding } from '../rules/types';

export function formatText(findings: readonly Finding[]): string {
  const lines = findings.map((f) => `${printable(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.rule}: ${printable(f.message)}`);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  lines.push(`${findings.length} finding${findings.length === 1 ? '' : 's'}: ${count('error')} error(s), ${count('warning')} warning(s), ${count('information') + count('hint')} other`);
  return lines.join('\n') + '\n';
}

/**
 * Text for a terminal: control characters (C0, DEL, C1: escape sequences, line breaks) and the
 * bidirectional overrides that reorder what is shown are written as escapes, so a file or object
 * name cannot rewrite the terminal or hide what a line says.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
