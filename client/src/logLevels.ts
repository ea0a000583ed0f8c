// The level of a line the language client writes to its output channel (no vscode import, so
// that it is unit-tested on its own).

export type LogLevelName = 'error' | 'warn' | 'info' | 'debug' | 'trace';

const CLIENT_PREFIX = /^\[(Error|Warn|Info|Debug|Trace)\s*- [^\]]*\] ?/;

const LEVELS: Record<string, LogLevelName> = { Error: 'error', Warn: 'warn', Info: 'info', Debug: 'debug', Trace: 'trace' };

/**
 * `[Error - 10:00:00] text` (vscode-languageclient's format) → level error, message `text`; a line
 * without the prefix has no level of its own (it continues the message before it).
 */
export function serverLogLine(line: string): { level?: LogLevelName; message: string } {
  const match = CLIENT_PREFIX.exec(line);
  if (!match) return { message: line };
  return { level: LEVELS[match[1]!], message: line.slice(match[0].length) };
}
