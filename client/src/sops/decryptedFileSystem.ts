// The decrypted views: a FileSystemProvider for `gitops-sops:` whose files exist only in this
// map. Reading decrypts the file on disk through the language server; writing re-encrypts with
// the file's data key (unchanged values keep their ciphertext) and writes the ciphertext to the
// file. The plaintext lives here and in the editor's model, never on disk.
import * as vscode from 'vscode';
import { SopsRequestError, type SopsRequests } from './sopsRequests';
import { describe, fileOf } from './targets';

interface DecryptedEntry {
  /** The ciphertext on disk the plaintext belongs to (as read, then as last written). */
  ciphertext: string;
  plaintext: Uint8Array;
  ctime: number;
  mtime: number;
  /** Why the last save could not be written to the file; the edit is kept here meanwhile. */
  unwritten?: string;
  /** Saves of one file run one after the other. */
  queue: Promise<void>;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class DecryptedFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly entries = new Map<string, DecryptedEntry>();
  private readonly changedFiles = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changedFiles.event;
  private readonly changedState = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a view's file was written, or could not be. */
  readonly onDidChangeState = this.changedState.event;
  /** Views being saved by `keepSaved` rather than by the user: their failures are not notified. */
  readonly backgroundSaves = new Set<string>();

  constructor(private readonly requests: SopsRequests) {}

  /** Why the view's last edit is not in the file yet, or undefined when it is. */
  unwrittenReason(uri: vscode.Uri): string | undefined {
    return this.entries.get(uri.toString())?.unwritten;
  }

  /** Forgets a closed view's plaintext, unless it holds an edit that is not in the file yet. */
  release(uri: vscode.Uri): string | undefined {
    const entry = this.entries.get(uri.toString());
    if (!entry) return undefined;
    if (entry.unwritten) return entry.unwritten;
    this.entries.delete(uri.toString());
    return undefined;
  }

  /** Drops a view's plaintext even with an unwritten edit (the user chose to discard it). */
  discard(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const entry = this.entries.get(uri.toString());
    if (entry) return { type: vscode.FileType.File, ctime: entry.ctime, mtime: entry.mtime, size: entry.plaintext.byteLength };
    try {
      const stat = await vscode.workspace.fs.stat(fileOf(uri));
      return { type: stat.type, ctime: stat.ctime, mtime: stat.mtime, size: stat.size };
    } catch {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const known = this.entries.get(uri.toString());
    if (known) return known.plaintext;
    const file = fileOf(uri);
    let ciphertext: string;
    let stat: vscode.FileStat;
    try {
      // The times VS Code saw in stat() before reading: a newer mtime would make its next save a conflict.
      stat = await vscode.workspace.fs.stat(file);
      ciphertext = decoder.decode(await vscode.workspace.fs.readFile(file));
    } catch {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    let plaintext: string;
    try {
      plaintext = await this.requests.decrypt(file, ciphertext);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(`${(error as Error).message}`);
    }
    const entry: DecryptedEntry = { ciphertext, plaintext: encoder.encode(plaintext), ctime: stat.ctime, mtime: stat.mtime, queue: Promise.resolve() };
    this.entries.set(uri.toString(), entry);
    return entry.plaintext;
  }

  /**
   * Keeps the edit and re-encrypts it into the file. The save itself always succeeds, so the
   * editor is not left dirty (a dirty editor is backed up to disk by VS Code, see
   * ARCHITECTURE.md); an edit that cannot be encrypted yet (YAML that does not parse, a file
   * changed on disk) stays in memory, the status bar says so, and the next save tries again.
   */
  writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const entry = this.entries.get(uri.toString());
    if (!entry) return Promise.reject(vscode.FileSystemError.NoPermissions(`${describe(fileOf(uri))}: open it with "Edit Decrypted" first`));
    entry.plaintext = content;
    entry.mtime = Math.max(Date.now(), entry.mtime + 1);
    const background = this.backgroundSaves.has(uri.toString());
    entry.queue = entry.queue.then(() => this.writeThrough(uri, entry, content, background));
    return entry.queue;
  }

  private async writeThrough(uri: vscode.Uri, entry: DecryptedEntry, content: Uint8Array, background: boolean): Promise<void> {
    // A later save already took over.
    if (entry.plaintext !== content) return;
    const file = fileOf(uri);
    const before = entry.unwritten;
    try {
      const ciphertext = await this.requests.reencrypt(file, entry.ciphertext, decoder.decode(content));
      if (ciphertext !== entry.ciphertext) {
        const onDisk = decoder.decode(await vscode.workspace.fs.readFile(file));
        if (onDisk !== entry.ciphertext) {
          throw new SopsRequestError(`${describe(file)} changed on disk since it was decrypted; close this view without saving and open it again`);
        }
        await vscode.workspace.fs.writeFile(file, encoder.encode(ciphertext));
        entry.ciphertext = ciphertext;
      }
      entry.unwritten = undefined;
    } catch (error) {
      entry.unwritten = (error as Error).message;
      if (!background && entry.unwritten !== before) {
        void vscode.window.showWarningMessage(`GitOps Guardrails: your edit of ${describe(file)} is kept in memory but not written yet: ${entry.unwritten}`);
      }
    }
    this.changedState.fire(uri);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.entries.clear();
    this.changedFiles.dispose();
    this.changedState.dispose();
  }
}

/** Debounce of the background saves: well below VS Code's one-second backup delay. */
export const KEEP_SAVED_DELAY_MS = 250;

/**
 * Saves every changed decrypted view shortly after each change, so that VS Code never holds a
 * dirty decrypted editor long enough to write its backup (1 s after the last change), and warns
 * when a view closes with an edit that could not be encrypted.
 */
export function keepSaved(fileSystem: DecryptedFileSystem, scheme: string): vscode.Disposable {
  const timers = new Map<string, NodeJS.Timeout>();
  const save = async (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    timers.delete(key);
    if (document.isClosed || !document.isDirty) return;
    fileSystem.backgroundSaves.add(key);
    try {
      // Without save participants (format on save, trimming whitespace at the cursor), which
      // would rewrite the text under the user's fingers; the command only saves the active editor.
      if (vscode.window.activeTextEditor?.document === document) await vscode.commands.executeCommand('workbench.action.files.saveWithoutFormatting');
      if (document.isDirty) await document.save();
    } finally {
      fileSystem.backgroundSaves.delete(key);
    }
  };
  const subscriptions = [
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.scheme !== scheme || event.contentChanges.length === 0) return;
      const key = event.document.uri.toString();
      clearTimeout(timers.get(key));
      timers.set(key, setTimeout(() => void save(event.document), KEEP_SAVED_DELAY_MS));
    }),
    vscode.workspace.onDidCloseTextDocument(async (document) => {
      if (document.uri.scheme !== scheme) return;
      clearTimeout(timers.get(document.uri.toString()));
      const reason = fileSystem.release(document.uri);
      if (!reason) return;
      const file = describe(fileOf(document.uri));
      const choice = await vscode.window.showWarningMessage(`GitOps Guardrails: your last edit of ${file} was not encrypted into the file: ${reason}`, 'Reopen', 'Discard');
      if (choice === 'Reopen') await vscode.window.showTextDocument(document.uri, { preview: false });
      else fileSystem.discard(document.uri);
    }),
  ];
  return new vscode.Disposable(() => {
    for (const timer of timers.values()) clearTimeout(timer);
    for (const subscription of subscriptions) subscription.dispose();
  });
}
