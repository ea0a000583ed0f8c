// SOPS in the editor: the commands, the in-memory decrypted views and the status bar item.
// The language server does the cryptography (server/src/features/sops.ts); plaintext stays in
// memory (see "Plaintext stays in memory" in ARCHITECTURE.md).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { DecryptedFileSystem, keepSaved } from './decryptedFileSystem';
import { SopsRequests } from './sopsRequests';
import { registerSopsStatusBar } from './statusBar';
import { DECRYPTED_SCHEME } from './targets';

export function registerSopsCommands(context: vscode.ExtensionContext, client: LanguageClient): void {
  const requests = new SopsRequests(client);
  const fileSystem = new DecryptedFileSystem(requests);
  context.subscriptions.push(
    vscode.workspace.registerFileSystemProvider(DECRYPTED_SCHEME, fileSystem, { isCaseSensitive: true }),
    fileSystem,
    keepSaved(fileSystem, DECRYPTED_SCHEME),
    ...registerCommands(requests),
    registerSopsStatusBar(requests, fileSystem),
  );
}
