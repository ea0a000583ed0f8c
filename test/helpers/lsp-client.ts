// A real LSP client over stdio for tests: spawns dist/server.js and speaks JSON-RPC to it.
import { spawn, type ChildProcess } from 'node:child_process';
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
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.resolve(__dirname, '../../dist/server.js');

export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private waiters: Array<() => void> = [];
  readonly stderr: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly root: string,
  ) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((w) => w());
    });
    // The server asks for progress tokens and registrations; a real client answers them.
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  static async start(root: string): Promise<TestClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new TestClient(child, root);
    await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: client.uri(''),
      workspaceFolders: [{ uri: client.uri(''), name: 'repo' }],
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true } },
      },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  uri(repoPath: string): string {
    return pathToFileURL(path.join(this.root, repoPath)).toString().replace(/\/$/, '');
  }

  /** Waits until the diagnostics of a file satisfy `predicate`, or fails after `timeout` ms. */
  async waitForDiagnostics(repoPath: string, predicate: (d: Diagnostic[]) => boolean, timeout = 10000): Promise<Diagnostic[]> {
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
