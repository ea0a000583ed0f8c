// The SOPS status bar item of the active editor: encrypted, hand-edited, a Secret in clear, or a
// decrypted view; a click runs what fits. It also sets `gitopsGuardrails.sops.state` for menus.
import * as vscode from 'vscode';
import type { SopsStatus } from '../../../server/src/protocol';
import { SOPS_COMMANDS } from './commands';
import type { DecryptedFileSystem } from './decryptedFileSystem';
import type { SopsRequests } from './sopsRequests';
import { DECRYPTED_SCHEME, describe, fileOf } from './targets';

export type SopsState = 'encrypted' | 'partial' | 'plaintextSecret' | 'decrypted' | 'none';

interface Shown {
  state: SopsState;
  text?: string;
  tooltip?: string;
  command?: string;
  background?: string;
}

/** What the item shows for a file on disk, from the server's status answer. */
export function describeStatus(status: SopsStatus): Shown {
  if (status.encrypted && status.unencryptedValues?.length) {
    return {
      state: 'partial',
      text: `$(warning) SOPS: ${status.unencryptedValues.length} in clear`,
      tooltip: `Encrypted, but ${status.unencryptedValues.join(', ')} ${status.unencryptedValues.length === 1 ? 'is' : 'are'} in clear (edited by hand). Click to re-encrypt.`,
      command: SOPS_COMMANDS.reencrypt,
      background: 'statusBarItem.errorBackground',
    };
  }
  if (status.encrypted) {
    const recipients = status.recipients.length ? `for ${status.recipients.join(', ')}` : '';
    return {
      state: 'encrypted',
      text: '$(lock) SOPS',
      tooltip: `SOPS-encrypted ${recipients}${status.lastModified ? `, last modified ${status.lastModified}` : ''}. Click to edit it decrypted, in memory.`,
      command: SOPS_COMMANDS.edit,
    };
  }
  if (status.plaintextSecret) {
    return { state: 'plaintextSecret', text: '$(unlock) plaintext Secret', tooltip: 'A Secret in clear. Click to encrypt the file with SOPS.', command: SOPS_COMMANDS.encrypt, background: 'statusBarItem.warningBackground' };
  }
  return { state: 'none' };
}

export function registerSopsStatusBar(requests: SopsRequests, fileSystem: DecryptedFileSystem): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('gitopsGuardrails.sops', vscode.StatusBarAlignment.Left, 49);
  item.name = 'GitOps Guardrails: SOPS';
  let request = 0;
  let timer: NodeJS.Timeout | undefined;

  const show = (shown: Shown) => {
    void vscode.commands.executeCommand('setContext', 'gitopsGuardrails.sops.state', shown.state);
    if (!shown.text) {
      item.hide();
      return;
    }
    item.text = shown.text;
    item.tooltip = shown.tooltip;
    item.command = shown.command;
    item.backgroundColor = shown.background ? new vscode.ThemeColor(shown.background) : undefined;
    item.show();
  };

  const update = async () => {
    const current = ++request;
    const document = vscode.window.activeTextEditor?.document;
    if (document?.uri.scheme === DECRYPTED_SCHEME) {
      const unwritten = fileSystem.unwrittenReason(document.uri);
      const file = describe(fileOf(document.uri));
      show(
        unwritten
          ? { state: 'decrypted', text: '$(warning) SOPS: not written', tooltip: `The last edit is not in ${file} yet: ${unwritten}`, background: 'statusBarItem.warningBackground' }
          : { state: 'decrypted', text: '$(unlock) SOPS: decrypted', tooltip: `Decrypted in memory only; every change is re-encrypted into ${file}.` },
      );
      return;
    }
    if (!document || document.uri.scheme !== 'file' || document.languageId !== 'yaml') {
      show({ state: 'none' });
      return;
    }
    const status = await requests.status(document.uri, document.getText()).catch(() => undefined);
    // A later editor change has already taken over.
    if (current !== request) return;
    show(status ? describeStatus(status) : { state: 'none' });
  };
  const updateSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void update(), 300);
  };

  const subscriptions = [
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === vscode.window.activeTextEditor?.document) updateSoon();
    }),
    fileSystem.onDidChangeState(() => void update()),
  ];
  void update();
  return new vscode.Disposable(() => {
    clearTimeout(timer);
    for (const subscription of subscriptions) subscription.dispose();
  });
}
