// One language server session, measured from outside: spawn → `initialize` answered, spawn →
// ready (the caller says what ready means), the latency of edits, and the server process's CPU
// time and peak RSS (bench/rusage.cjs, written when the server exits after shutdown/exit).
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import {
  createMessageConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import { RUSAGE, readRusage, rusageFile } from '../measure';

export interface LspRun {
  initializeMs: number;
  /** Spawn → the caller's ready condition. */
  readyMs: number;
  /** Initialize answered → the first diagnostics of the file opened first (when one is given). */
  firstOpenDiagnosticsMs: number;
  editLatencies: number[];
  /** Notifications received, by method. */
  notifications: Map<string, number>;
  wallMs: number;
  cpuMs: number;
  rssBytes: number;
}

export interface LspSession {
  connection: MessageConnection;
  root: string;
  uri(file: string): string;
  diagnostics: Map<string, Diagnostic[]>;
  /** Resolves when `predicate` holds, checked at every diagnostics or notification received. */
  until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void>;
  open(file: string, text: string): void;
  change(file: string, text: string): void;
  notifications: Map<string, number>;
}

export interface LspPlan {
  /** The server's script and arguments (node runs it). */
  args: string[];
  root: string;
  env?: NodeJS.ProcessEnv;
  initializationOptions?: unknown;
  /** Answers workspace/configuration requests, by section. */
  configuration?: (section: string | undefined) => unknown;
  /** Sent as workspace/didChangeConfiguration after initialized. */
  settings?: unknown;
  /** A file opened right after `initialized`, and what its first diagnostics must satisfy. */
  firstOpen?: { file: string; text: string; ready: (d: Diagnostic[]) => boolean };
  /** After initialized: wait until the server is ready (e.g. every file has diagnostics). */
  ready: (session: LspSession) => Promise<void>;
  /** An edit and back, `count` times: the file, its two texts, and when each has taken effect. */
  edit?: { file: string; texts: [string, string]; reached: (session: LspSession, variant: 0 | 1) => boolean; count: number };
  timeoutMs: number;
}

export async function runLanguageServer(plan: LspPlan): Promise<LspRun> {
  const usage = rusageFile();
  const start = performance.now();
  const child = spawn(process.execPath, ['--require', RUSAGE, ...plan.args], { env: { ...process.env, ...plan.env, BENCH_RUSAGE_FILE: usage }, stdio: ['pipe', 'pipe', 'pipe'] });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  child.stderr!.resume();
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const diagnostics = new Map<string, Diagnostic[]>();
  const notifications = new Map<string, number>();
  let waiters: (() => void)[] = [];
  const wake = () => {
    const current = waiters;
    waiters = [];
    current.forEach((w) => w());
  };
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    diagnostics.set(params.uri, params.diagnostics);
    wake();
  });
  connection.onNotification((method: string, _params: unknown) => {
    notifications.set(method, (notifications.get(method) ?? 0) + 1);
    wake();
  });
  // $/progress never reaches the handler above: the connection routes it to progress handlers.
  connection.onUnhandledProgress((params: { value?: { kind?: string } }) => {
    notifications.set('$/progress', (notifications.get('$/progress') ?? 0) + 1);
    // The end of a progress, counted apart: `$/progress end` (e.g. the first index is done).
    if (params.value?.kind === 'end') notifications.set('$/progress end', (notifications.get('$/progress end') ?? 0) + 1);
    wake();
  });
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((item) => plan.configuration?.(item.section) ?? null));
  connection.onRequest((_method: string, _params: unknown) => null);
  connection.listen();
  const versions = new Map<string, number>();
  const uri = (file: string) => pathToFileURL(path.join(plan.root, file)).href;
  const session: LspSession = {
    connection,
    root: plan.root,
    uri,
    diagnostics,
    notifications,
    until(predicate, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
        const check = () => {
          if (predicate()) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
    open(file, text) {
      versions.set(file, 1);
      void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text } });
    },
    change(file, text) {
      const version = (versions.get(file) ?? 1) + 1;
      versions.set(file, version);
      void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(file), version }, contentChanges: [{ text }] });
    },
  };
  try {
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri(''),
      workspaceFolders: [{ uri: uri(''), name: path.basename(plan.root) }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, window: { workDoneProgress: true }, textDocument: { publishDiagnostics: {} } },
      initializationOptions: plan.initializationOptions,
    });
    const initialized = performance.now();
    const initializeMs = initialized - start;
    await connection.sendNotification(InitializedNotification.type, {});
    if (plan.settings !== undefined) await connection.sendNotification(DidChangeConfigurationNotification.type, { settings: plan.settings });
    let firstOpenDiagnosticsMs = NaN;
    if (plan.firstOpen) {
      const { file, text, ready } = plan.firstOpen;
      session.open(file, text);
      await session.until(() => ready(diagnostics.get(uri(file)) ?? []) && diagnostics.has(uri(file)), plan.timeoutMs, `the first diagnostics of ${file}`);
      firstOpenDiagnosticsMs = performance.now() - initialized;
    }
    await plan.ready(session);
    const readyMs = performance.now() - start;
    const editLatencies: number[] = [];
    if (plan.edit) {
      const { file, texts, reached, count } = plan.edit;
      if (!plan.firstOpen || plan.firstOpen.file !== file) session.open(file, texts[0]);
      for (let i = 0; i < count; i++) {
        const variant = (i % 2 === 0 ? 1 : 0) as 0 | 1;
        const edited = performance.now();
        session.change(file, texts[variant]);
        await session.until(() => reached(session, variant), plan.timeoutMs, `edit ${i + 1} of ${file} to take effect`);
        editLatencies.push(performance.now() - edited);
      }
    }
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    const wallMs = performance.now() - start;
    return { initializeMs, readyMs, firstOpenDiagnosticsMs, editLatencies, notifications, wallMs, ...readRusage(usage) };
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
}
