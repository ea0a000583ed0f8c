// Which file a SOPS command acts on, and the `gitops-sops:` URI of its decrypted view.
import * as vscode from 'vscode';
import { decryptedPath, filePath } from './decryptedPaths';

/** The scheme of the in-memory decrypted views (`decryptedFileSystem.ts`). */
export const DECRYPTED_SCHEME = 'gitops-sops';

/** The decrypted view of a file on disk: the same path under `gitops-sops:`. */
export function decryptedUri(file: vscode.Uri): vscode.Uri {
  // The tab says what it is: `secret.sops (decrypted).yaml` beside `secret.sops.yaml`.
  return file.with({ scheme: DECRYPTED_SCHEME, path: decryptedPath(file.path) });
}

/** The file on disk behind a decrypted view. */
export function fileOf(decrypted: vscode.Uri): vscode.Uri {
  return decrypted.with({ scheme: 'file', path: filePath(decrypted.path) });
}



/**
 * The file a command was invoked on: an Explorer or editor context menu passes a Uri, a code
 * action a URI string, a tree view its node (`location.uri`); the palette nothing (the active
 * editor). A decrypted view stands for its file.
 */
export function commandTarget(argument: unknown): vscode.Uri | undefined {
  let uri: vscode.Uri | undefined;
  if (argument instanceof vscode.Uri) uri = argument;
  else if (typeof argument === 'string') uri = vscode.Uri.parse(argument);
  else if (argument && typeof argument === 'object') {
    const location = (argument as { location?: { uri?: unknown } }).location;
    if (typeof location?.uri === 'string') uri = vscode.Uri.parse(location.uri);
  }
  uri ??= vscode.window.activeTextEditor?.document.uri;
  if (uri?.scheme === DECRYPTED_SCHEME) return fileOf(uri);
  return uri?.scheme === 'file' ? uri : undefined;
}

/** The text of a file as the user sees it: the open editor's buffer, else the file on disk. */
export async function currentText(file: vscode.Uri): Promise<{ text: string; document?: vscode.TextDocument }> {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
  if (document) return { text: document.getText(), document };
  return { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(file)) };
}

/** The file's name relative to the workspace, for messages. */
export const describe = (file: vscode.Uri) => vscode.workspace.asRelativePath(file, false);
