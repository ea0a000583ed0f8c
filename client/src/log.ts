// The "GitOps Guardrails" log channel (a LogOutputChannel, so with levels): the language client
// writes the server's messages there (index timings, config problems), the commands their
// failures. Reasons only: never a secret's value.
import * as vscode from 'vscode';
import { serverLogLine, type LogLevelName } from './logLevels';

let channel: vscode.LogOutputChannel | undefined;

export function createLog(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('GitOps Guardrails', { log: true });
  return channel;
}

/** The channel, once the extension created it. */
export function log(): vscode.LogOutputChannel | undefined {
  return channel;
}

/**
 * The output channel handed to the language client. The client writes each server message as a
 * plain line (`[Error - 10:00:00] …`), which a LogOutputChannel would log at level info: this
 * logs it at its own level instead, and lines that follow a message (its data, a stack) at the
 * level of that message.
 */
export function serverLog(target: vscode.LogOutputChannel): vscode.OutputChannel {
  let level: LogLevelName = 'info';
  const write = (text: string) => {
    for (const line of text.split(/\r?\n/)) {
      if (line === '') continue;
      const parsed = serverLogLine(line);
      if (parsed.level) level = parsed.level;
      target[level](parsed.message);
    }
  };
  return {
    name: target.name,
    append: write,
    appendLine: write,
    replace: (value: string) => {
      target.clear();
      write(value);
    },
    clear: () => target.clear(),
    show: (columnOrPreserve?: vscode.ViewColumn | boolean, preserveFocus?: boolean) =>
      typeof columnOrPreserve === 'boolean' || columnOrPreserve === undefined ? target.show(columnOrPreserve) : target.show(columnOrPreserve, preserveFocus),
    hide: () => target.hide(),
    dispose: () => undefined,
  };
}
