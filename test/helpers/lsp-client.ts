// A real LSP client over stdio for tests: spawns dist/server.js and speaks JSON-RPC to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  PublishDiagnosticsNotification,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  ExitNotification,
  type ProtocolConnection,
  type Diagnostic,
  type PublishDiagnosticsParams,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  type Position,
  type Range,
  WorkDoneProgress,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import { ModelChangedNotification } from '../../server/src/protocol';
import './temp-cache';

export const SERVER = path.resolve(__dirname, '../../dist/server.js');

export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  private waiters: Array<() => void> = [];
  readonly stderr: string[] = [];
  /**
   * What the server sent, in the order it arrived, for tests of ordering: `diagnostics <uri>`,
   * `progress begin|report|end`, `modelChanged`; a test may add its own (e.g. a request's answer).
   */
  readonly events: string[] = [];
  /** Versions of the modelChanged notifications received so far. */
  readonly modelVersions: number[] = [];
  /** How often the server asked the client to refresh its code lenses. */
  codeLensRefreshes = 0;
  /** window/showDocument requests the server sent. */
  shownDocuments: { uri: string; takeFocus?: boolean }[] = [];
  /** window/showMessageRequest requests the server sent (notifications with actions). */
  messageRequests: { message: string; actions?: { title: string }[] }[] = [];
  /** The action title the client picks for a showMessageRequest; undefined dismisses it. */
  answerMessage: (params: { message: string; actions?: { title: string }[] }) => string | undefined = () => undefined;
  private readonly versions = new Map<string, number>();

  private constructor(
    private readonly child: ChildProcess,
    readonly root: string,
  ) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      this.published.push(params);
      this.events.push(`diagnostics ${params.uri}`);
      this.wake();
    });
    this.connection.onNotification(ModelChangedNotification, ({ version }) => {
      this.modelVersions.push(version);
      this.events.push('modelChanged');
      this.wake();
    });
    // The server asks for progress tokens and registrations; a real client answers them.
    this.connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      this.connection.onProgress(WorkDoneProgress.type, params.token, (value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => {
        this.events.push(`progress ${value.kind}`);
        this.wake();
      });
      return null;
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/showDocument', (params: { uri: string; takeFocus?: boolean }) => {
      this.shownDocuments.push(params);
      return { success: true };
    });
    this.connection.onRequest('window/showMessageRequest', (params: { message: string; actions?: { title: string }[] }) => {
      this.messageRequests.push(params);
      const title = this.answerMessage(params);
      return title === undefined ? null : { title };
    });
    this.connection.onRequest('workspace/codeLens/refresh', () => {
      this.codeLensRefreshes++;
      return null;
    });
    this.connection.listen();
  }

  /** `workspace` adds client capabilities of that section (e.g. `{ codeLens: { refreshSupport: true } }`). */
  static async start(root: string, workspace: Record<string, unknown> = {}, initializationOptions?: unknown): Promise<TestClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new TestClient(child, root);
    await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: client.uri(''),
      workspaceFolders: [{ uri: client.uri(''), name: 'repo' }],
      initializationOptions,
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true }, ...workspace },
        window: { workDoneProgress: true, showDocument: { support: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true } },
      },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Records an event of the test's own in `events` (e.g. a request answered), in order with the server's. */
  note(event: string): void {
    this.events.push(event);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** Waits until `predicate` holds (checked at every message received), or fails after `timeout` ms. */
  async waitFor(predicate: () => boolean, what: string, timeout = 60000): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      if (predicate()) return;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr.join('')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** True once the server process has ended (it must not, whatever it is sent). */
  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  uri(repoPath: string): string {
    return pathToFileURL(path.join(this.root, repoPath)).toString().replace(/\/$/, '');
  }

  /** Waits until the diagnostics of a file satisfy `predicate`, or fails after `timeout` ms. */
  // Waits are bounds for a loaded machine (2 busy cores index slowly), never a claim about speed.
  async waitForDiagnostics(repoPath: string, predicate: (d: Diagnostic[]) => boolean, timeout = 60000): Promise<Diagnostic[]> {
    const uri = this.uri(repoPath);
    const deadline = Date.now() + timeout;
    for (;;) {
      const current = this.diagnostics.get(uri);
      if (current && predicate(current)) return current;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for diagnostics of ${repoPath}; last: ${JSON.stringify(current)}; stderr: ${this.stderr.join('')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until a modelChanged notification newer than `after` arrives (the first one: indexing is done). */
  async waitForModelChange(after = 0, timeout = 60000): Promise<number> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const latest = this.modelVersions[this.modelVersions.length - 1];
      if (latest !== undefined && latest > after) return latest;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for modelChanged after ${after}; stderr: ${this.stderr.join('')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * The range of the first `text` in a workspace file on disk, so tests on a repository that others
   * keep extending do not depend on line numbers.
   */
  locate(repoPath: string, text: string): Range {
    const content = readFileSync(path.join(this.root, repoPath), 'utf8');
    const offset = content.indexOf(text);
    if (offset < 0) throw new Error(`${text} not found in ${repoPath}`);
    const before = content.slice(0, offset).split('\n');
    const line = before.length - 1;
    const character = before[line].length;
    return range(line, character, line, character + text.length);
  }

  /** The diagnostics last published for a file ([] when none were). */
  diagnosticsOf(repoPath: string): Diagnostic[] {
    return this.diagnostics.get(this.uri(repoPath)) ?? [];
  }

  /** Opens a document with the given text, as an editor does. */
  async open(repoPath: string, text: string): Promise<void> {
    this.versions.set(repoPath, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: this.uri(repoPath), languageId: 'yaml', version: 1, text } });
  }

  /** Replaces an open document's whole text. */
  async change(repoPath: string, text: string): Promise<void> {
    const version = (this.versions.get(repoPath) ?? 1) + 1;
    this.versions.set(repoPath, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: this.uri(repoPath), version }, contentChanges: [{ text }] });
  }

  /** Starts a server on `root` and waits until it has indexed it and published its model. */
  static async ready(root: string): Promise<TestClient> {
    const client = await TestClient.start(root);
    await client.waitForModelChange();
    return client;
  }

  /** Stops the server and removes its workspace (a temporary copy). */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.root, { recursive: true, force: true });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // The process may already be gone.
    }
    this.connection.dispose();
    this.child.kill();
  }
}

/** Writes files into a new temporary folder and returns its path. */
export function tempRepo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gg-lsp-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** A fresh copy of examples/layered-repo in a temporary folder. */
export function copyExample(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gg-lsp-'));
  cpSync(path.resolve(__dirname, '../../examples/layered-repo'), root, { recursive: true });
  return root;
}

/** A zero-based range, written compactly in tests. */
export function range(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}

/** Removes the `$0` marker from a text and returns where it was. */
export function cursor(text: string, marker = '$0'): { text: string; position: Position } {
  const offset = text.indexOf(marker);
  if (offset < 0) throw new Error(`no ${marker} in text`);
  const before = text.slice(0, offset).split('\n');
  return { text: text.slice(0, offset) + text.slice(offset + marker.length), position: { line: before.length - 1, character: before[before.length - 1].length } };
}
