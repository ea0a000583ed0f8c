// The "GitOps Guardrails" log channel (a LogOutputChannel, so with levels): the language client
// writes the server's messages there (index timings, config problems), the commands their
// failures. Reasons only: never a secret's value.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function createLog(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('GitOps Guardrails', { log: true });
  return channel;
}

/** The channel, once the extension created it. */
export function log(): vscode.LogOutputChannel | undefined {
  return channel;
}
