// The language server: LSP wiring only. Everything it reports comes from CheckSession.
//
// Every handler is registered through `request` or `notification` below, which check the params'
// shape first (params.ts): a malformed request is answered with InvalidParams, a malformed
// notification is ignored with a log line, and a handler that throws is logged and answered with
// InternalError. No message, however malformed, ends the process.
import {
  CodeActionKind,
  CancellationToken,
  CodeActionRequest,
  CodeLensRefreshRequest,
  CodeLensRequest,
  CompletionRequest,
  createConnection,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DocumentLinkRequest,
  DocumentSymbolRequest,
  ErrorCodes,
  FileChangeType,
  HoverRequest,
  LSPErrorCodes,
  PrepareRenameRequest,
  ProposedFeatures,
  ReferencesRequest,
  RenameRequest,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  WillSaveTextDocumentNotification,
  WillSaveTextDocumentWaitUntilRequest,
  WorkspaceSymbolRequest,
  type Connection,
  type Disposable,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { APPLY_FIX_ENCRYPTED_COMMAND, FIX_ALL_KIND, SHOW_CREATED_COMMAND } from './commands';
import * as checks from './params';
import type { ParamsCheck } from './params';
import {
  ClustersRequest,
  ComponentsRequest,
  FetchChartsRequest,
  FileContextRequest,
  GraphRequest,
  ModelChangedNotification,
  RenderRequest,
  SopsDecryptRequest,
  SopsEncryptRequest,
  SopsReencryptRequest,
  SopsRepairRequest,
  SopsStatusRequest,
  WorkspaceTrustNotification,
  type RenderParams,
} from './protocol';
import { toAbsolute } from './model/paths';
import { repoPathToUri, uriToAbsolute, uriToRepoPath } from './uris';
// Types only: what they name lives in the engine, loaded after `initialize` (see engine()).
import type * as Engine from './engine';
import type { ChartFetching } from './features/charts';
import type { RepoModel } from './model/model';
import type { DigestInputs } from './result-cache';
import type { Finding } from './rules/types';
import type { CheckSession } from './session';
import type { EditorSettings } from './settings';

let engineModule: typeof Engine | undefined;
/**
 * The model, rules and features (engine.ts), loaded on first use: once `initialize` is answered
 * (the index starts at `initialized`), or by the first request that needs them. In the bundle,
 * `./engine` is dist/engine.js, bundled apart (esbuild.mjs), so that `initialize` waits only for
 * this file and the LSP library.
 */
function engine(): typeof Engine {
  engineModule ??= require('./engine') as typeof Engine;
  return engineModule;
}

const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let session: CheckSession | undefined;
/**
 * The first index: `loaded` once the model holds every file (requests are answered from it from
 * then on), `indexed` once the first check is published (document changes and file events wait
 * for it: the first check runs in steps and must see one model).
 */
let loaded: Promise<void> | undefined;
let indexed: Promise<void> | undefined;
let indexDone = false;
/** While the model loads: the open buffers alone, for the answers a file gives by itself (symbols, hover, completion). */
let preview: RepoModel | undefined;
let root: string | undefined;
let canRegisterWatchers = false;
let recheckTimer: NodeJS.Timeout | undefined;
let modelVersion = 0;
/** The editor's settings as sent (initializationOptions, then didChangeConfiguration), read on first use. */
let rawSettings: unknown;
let settingsRead: EditorSettings | undefined;
function settings(): EditorSettings {
  settingsRead ??= engine().readSettings(rawSettings, (m) => connection.console.warn(m));
  return settingsRead;
}
let canRefreshCodeLenses = false;
let canShowDocument = false;

/**
 * Whether the workspace is trusted (VS Code's workspace trust). Untrusted, nothing that runs a
 * program is used: no sops binary, no SOPS_AGE_KEY_CMD. A client that does not say is trusted:
 * trust is the client's notion, and other editors leave it to the user.
 */
let workspaceTrusted = true;
/** The client's cache folder (initializationOptions.cacheDir); the parse cache's is GITOPS_GUARDRAILS_CACHE_DIR, else this, else the user's cache folder. */
let clientCacheDir: string | undefined;

/** The extension's global storage for fetched charts (initializationOptions.chartCacheDir). */
let chartStorage: string | undefined;

/** Chart stores and fetching (features/charts.ts); made on first use, with the storage the client named at initialize. */
let chartFetchingMade: ChartFetching | undefined;
let initializeDone = false;
function chartFetching(): ChartFetching | undefined {
  if (!initializeDone) return undefined;
  chartFetchingMade ??= new (engine().ChartFetching)(
    {
      model: () => session?.model,
      trusted: () => workspaceTrusted,
      setting: () => settings().charts.fetch,
      ask: async (message, actions) => (await connection.window.showInformationMessage(message, ...actions.map((title) => ({ title }))))?.title,
      changed: () => {
        if (!session) return;
        publish(session.recheck());
        notifyModelChanged();
      },
      log: (message) => connection.console.info(message),
    },
    chartStorage,
  );
  return chartFetchingMade;
}

/** An error described for a log line or an error message: its name, and the message of engine errors only (others may quote their input). */
function describe(error: unknown): string {
  const e = error as Error | undefined;
  const name = e?.name ?? typeof error;
  return e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError ? `${name}: ${e.message}` : name;
}

function logFailure(what: string, error: unknown): void {
  const stack = (error as Error | undefined)?.stack?.split('\n').slice(1, 8).join('\n') ?? '';
  connection.console.error(`gitops-guardrails: ${what} failed: ${describe(error)}${stack ? `\n${stack}` : ''}`);
}

/** A request handler behind the params check: InvalidParams when malformed, InternalError when it throws. */
function request<P, R>(type: { method: string }, check: ParamsCheck, handler: (params: P) => R | Promise<R>): Disposable {
  return connection.onRequest(type.method, async (params: unknown) => {
    // A request without params reaches the handler with the cancellation token first.
    const given = CancellationToken.is(params) ? undefined : params;
    const problem = check(given);
    if (problem) throw new ResponseError(ErrorCodes.InvalidParams, `${type.method}: ${problem}`);
    try {
      return await handler(given as P);
    } catch (error) {
      const response = asResponseError(error);
      if (response) throw response;
      logFailure(type.method, error);
      throw new ResponseError(ErrorCodes.InternalError, `${type.method} failed (${describe(error)})`);
    }
  });
}

/**
 * An error meant as the request's answer: a ResponseError of this file's LSP library, or of the
 * engine's copy of it (engine.js bundles its own; `instanceof` does not cross bundles).
 */
function asResponseError(error: unknown): ResponseError<unknown> | undefined {
  if (error instanceof ResponseError) return error;
  const e = error as { code?: unknown; message?: unknown; data?: unknown; toJson?: unknown } | undefined;
  if (e && typeof e === 'object' && typeof e.code === 'number' && typeof e.message === 'string' && typeof e.toJson === 'function') return new ResponseError(e.code, e.message, e.data);
  return undefined;
}

/** A notification handler behind the params check: ignored (and logged) when malformed; its failures are logged. */
function notification<P>(type: { method: string }, check: ParamsCheck, handler: (params: P) => void | Promise<void>): Disposable {
  return connection.onNotification(type.method, (params: unknown) => {
    const problem = check(params);
    if (problem) {
      connection.console.warn(`gitops-guardrails: ignored ${type.method}: ${problem}`);
      return;
    }
    guarded(type.method, () => handler(params as P));
  });
}

/** Runs `action`, logging what it throws or rejects with: nothing escapes to end the process. */
function guarded(what: string, action: () => void | Promise<void>): void {
  try {
    const result = action();
    if (result instanceof Promise) result.catch((error: unknown) => logFailure(what, error));
  } catch (error) {
    logFailure(what, error);
  }
}

connection.onInitialize((params: InitializeParams) => {
  const problem = checks.initializeParams(params);
  if (problem) throw new ResponseError(ErrorCodes.InvalidParams, `initialize: ${problem}`);
  const folder = Array.isArray(params.workspaceFolders) ? params.workspaceFolders[0]?.uri : undefined;
  const rootUri = folder ?? params.rootUri ?? undefined;
  root = rootUri ? uriToAbsolute(rootUri) : typeof params.rootPath === 'string' ? params.rootPath : undefined;
  const capabilities = params.capabilities as Record<string, any>;
  canRegisterWatchers = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  canRefreshCodeLenses = capabilities.workspace?.codeLens?.refreshSupport === true;
  canShowDocument = capabilities.window?.showDocument?.support === true;
  // Read on first use (settings()): reading them needs the engine's rule catalogue.
  rawSettings = params.initializationOptions;
  workspaceTrusted = (params.initializationOptions as { workspaceTrusted?: unknown } | undefined)?.workspaceTrusted !== false;
  // The extension's global storage keeps fetched charts unless GITOPS_GUARDRAILS_CACHE_DIR says otherwise.
  const storage = (params.initializationOptions as { chartCacheDir?: unknown } | undefined)?.chartCacheDir;
  chartStorage = typeof storage === 'string' && storage ? storage : undefined;
  const fromClient = (params.initializationOptions as { cacheDir?: unknown } | undefined)?.cacheDir;
  clientCacheDir = typeof fromClient === 'string' && fromClient ? fromClient : undefined;
  initializeDone = true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      executeCommandProvider: { commands: [SHOW_CREATED_COMMAND, APPLY_FIX_ENCRYPTED_COMMAND] },
      definitionProvider: true,
      referencesProvider: true,
      documentLinkProvider: { resolveProvider: false },
      completionProvider: { triggerCharacters: [' ', '/'] },
      renameProvider: { prepareProvider: true },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
    },
    serverInfo: { name: 'gitops-guardrails' },
  };
});

notification<{ settings?: unknown }>(DidChangeConfigurationNotification.type, checks.didChangeConfigurationParams, async (params) => {
  const section = (params.settings as { gitopsGuardrails?: unknown } | null | undefined)?.gitopsGuardrails;
  if (!section) return;
  const fetchBefore = settings().charts.fetch;
  rawSettings = section;
  settingsRead = undefined;
  await indexed;
  session?.setSeverities(settings().severities);
  scheduleRecheck();
  if (settings().charts.fetch !== fetchBefore) guarded('fetching charts', () => chartFetching()?.afterIndex());
});

notification<{ trusted: boolean }>(WorkspaceTrustNotification, checks.workspaceTrustParams, (params) => {
  const granted = params.trusted && !workspaceTrusted;
  workspaceTrusted = params.trusted;
  if (granted) guarded('fetching charts', async () => {
    await indexed;
    await chartFetching()?.afterIndex();
  });
});

connection.onInitialized(() => {
  guarded('initialized', () => {
    if (canRegisterWatchers) {
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] }).catch((error: unknown) => logFailure('registering the file watcher', error));
    }
    if (!root) {
      connection.console.warn('gitops-guardrails: no workspace folder; nothing to check.');
      return;
    }
    let markLoaded!: () => void;
    loaded = new Promise<void>((resolve) => (markLoaded = resolve));
    indexed = indexWorkspace(root, markLoaded).finally(() => {
      markLoaded();
      preview = undefined;
      indexDone = true;
    });
  });
});

/**
 * How many turns of the event loop the first check leaves between its steps. The connection
 * writes one message a turn (its writer queues them behind setImmediate), so one turn a step would
 * let the step's own progress report and diagnostics crowd out the answers to requests.
 */
const WRITER_TURNS = 8;

async function eventLoopTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The files of the open editors, in the order they were opened. */
function openFiles(workspaceRoot: string): string[] {
  return documents.all().flatMap((document) => uriToRepoPath(workspaceRoot, document.uri) ?? []);
}

/**
 * The first index: the open buffers first (answers from them alone while the model loads), then
 * the whole model (requests answered from it from then on: `markLoaded`), then the first check
 * in steps with the event loop free between them (requests are not queued behind it), the open
 * files' findings published as the rules find them, the rest after.
 */
async function indexWorkspace(workspaceRoot: string, markLoaded: () => void): Promise<void> {
  const e = engine();
  preview = new e.RepoModel(workspaceRoot, e.RULE_IDS);
  for (const document of documents.all()) {
    const file = uriToRepoPath(workspaceRoot, document.uri);
    if (file) preview.setFile(file, document.getText());
  }
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin('GitOps Guardrails', 0, 'Indexing the repository', false);
  const started = Date.now();
  const severities = settings().severities;
  const cacheFolder = e.cacheDir(clientCacheDir);
  let failed = false;
  try {
    const warm = cacheFolder ? await publishStored(workspaceRoot, cacheFolder, { settings: severities, external: e.chartStoreInputs(process.env, chartStorage) }) : undefined;
    const opened = await e.CheckSession.open(
      workspaceRoot,
      {
        severities,
        onRuleError: (rule, error) => {
          failed = true;
          logFailure(`rule ${rule.id}`, error);
        },
      },
      // Reading and parsing is the first half of the index, checking the second.
      (done, total) => progress?.report(Math.round((done / Math.max(1, total)) * 50), `${done}/${total} files`),
      cacheFolder,
    );
    const fetching = chartFetching();
    if (fetching) opened.model.setChartStores(fetching.stores);
    for (const document of documents.all()) {
      const file = uriToRepoPath(workspaceRoot, document.uri);
      if (file) await opened.open(file, document.getText());
    }
    session = opened;
    preview = undefined;
    markLoaded();
    const changed = await opened.recheckInSteps(
      async (done, total) => {
        progress?.report(50 + Math.round((done / total) * 50), `checking (${done}/${total})`);
        await eventLoopTurns(WRITER_TURNS);
      },
      // A file whose stored findings were published (a warm start) keeps them until the whole check confirms or replaces them.
      (file, findings) => {
        if (warm?.published.has(file)) return;
        sendFindings(workspaceRoot, file, findings);
      },
    );
    publish(changed);
    if (warm) verifyStored(workspaceRoot, warm, failed);
    notifyModelChanged();
    connection.console.info(`gitops-guardrails: indexed ${opened.model.files.size} YAML files in ${Date.now() - started} ms`);
    guarded('fetching charts', () => chartFetching()?.afterIndex());
  } catch (error) {
    logFailure('indexing', error);
  } finally {
    progress?.done();
  }
}

interface WarmStart {
  folder: string;
  inputs: DigestInputs;
  /** The digest of the workspace before the index (undefined: it could not be taken). */
  digest: string | undefined;
  /** The files whose stored diagnostics were published. */
  published: Set<string>;
}

/** The findings stored for the workspace as it is on disk (result-cache.ts), published at once, before the index. */
async function publishStored(workspaceRoot: string, folder: string, inputs: DigestInputs): Promise<WarmStart> {
  const e = engine();
  const digest = await e.workspaceDigest(workspaceRoot, inputs).catch(() => undefined);
  const stored = digest === undefined ? undefined : await e.readResults(folder, workspaceRoot, digest);
  const byFile = new Map<string, Finding[]>();
  for (const finding of stored ?? []) {
    let list = byFile.get(finding.file);
    if (!list) byFile.set(finding.file, (list = []));
    list.push(finding);
  }
  for (const [file, findings] of openFirst(workspaceRoot, byFile)) sendFindings(workspaceRoot, file, findings);
  if (stored) connection.console.info(`gitops-guardrails: published ${stored.length} stored findings; verifying`);
  return { folder, inputs, digest, published: new Set(byFile.keys()) };
}

/**
 * After the first full check: the stored diagnostics it does not confirm are cleared, and its
 * findings stored when every open buffer is its file's text and nothing changed on disk.
 */
function verifyStored(workspaceRoot: string, warm: WarmStart, failed: boolean): void {
  for (const file of warm.published) {
    if (session!.findings(file).length === 0) sendFindings(workspaceRoot, file, []);
  }
  const onDisk = documents.all().every((document) => {
    const file = uriToRepoPath(workspaceRoot, document.uri);
    if (!file) return true;
    try {
      return readFileSync(toAbsolute(workspaceRoot, file), 'utf8') === document.getText();
    } catch {
      return false;
    }
  });
  const findings = !failed && onDisk ? session!.allFindings() : undefined;
  guarded('storing the findings', () => engine().storeIfUnchanged(warm.folder, workspaceRoot, warm.inputs, warm.digest, findings).then(() => undefined));
}

/** A file's findings as its published diagnostics (none: cleared). */
function sendFindings(workspaceRoot: string, file: string, findings: readonly Finding[]): void {
  const { toDiagnostic } = engine();
  void connection.sendDiagnostics({ uri: repoPathToUri(workspaceRoot, file), diagnostics: findings.map((f) => toDiagnostic(workspaceRoot, f)) });
}

/** The open editors' files first, the rest after, each part in its order. */
function openFirst<T>(workspaceRoot: string, byFile: Map<string, T>): [string, T][] {
  const open = new Set(openFiles(workspaceRoot));
  const entries = [...byFile];
  return [...entries.filter(([file]) => open.has(file)), ...entries.filter(([file]) => !open.has(file))];
}

function publish(changed: Map<string, Finding[]>): void {
  if (!session) return;
  for (const [file, findings] of openFirst(session.root, changed)) {
    sendFindings(session.root, file, findings);
  }
}

/** Views and code lenses show the whole model: after a re-check, they ask again. */
function notifyModelChanged(): void {
  void connection.sendNotification(ModelChangedNotification, { version: ++modelVersion });
  if (canRefreshCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
}

/**
 * Re-checks once typing pauses. On a large repository a check takes a while and blocks the
 * server, so the pause waited for grows with the last check's duration: completion and hover
 * stay responsive while someone types.
 */
let lastCheckMs = 0;
function scheduleRecheck(): void {
  if (recheckTimer) clearTimeout(recheckTimer);
  recheckTimer = setTimeout(recheckNow, Math.min(1000, Math.max(40, 2 * lastCheckMs)));
}

function recheckNow(): void {
  if (recheckTimer) clearTimeout(recheckTimer);
  recheckTimer = undefined;
  // The first check publishes what it finds; a change made meanwhile is re-checked after it.
  if (session && !indexDone) {
    void indexed?.then(scheduleRecheck);
    return;
  }
  if (!session) return;
  const started = Date.now();
  guarded('re-checking', () => {
    publish(session!.recheck());
    notifyModelChanged();
  });
  lastCheckMs = Date.now() - started;
}

/** Document changes the session has not taken in yet (parsing is asynchronous). */
let pendingChanges: Promise<void> = Promise.resolve();

/**
 * Findings of the documents as they are now: waits for the changes under way and runs a
 * scheduled re-check at once. Fixes are computed from findings, and edits computed from an
 * older text would land in the wrong place (fix-all on save follows the last keystroke at once).
 */
async function currentFindings(): Promise<void> {
  await pendingChanges;
  if (recheckTimer) recheckNow();
}

documents.onDidChangeContent((event) => {
  // While the model loads, the open buffers answer for themselves (symbols, hover, completion).
  const previewed = preview && uriToRepoPath(preview.root, event.document.uri);
  if (preview && previewed) guarded('updating a document', () => preview!.setFile(previewed, event.document.getText()));
  const update = (async () => {
    await indexed;
    const file = session && uriToRepoPath(session.root, event.document.uri);
    if (!session || !file) return;
    await session.open(file, event.document.getText());
    scheduleRecheck();
  })().catch((error: unknown) => logFailure('updating a document', error));
  pendingChanges = Promise.all([pendingChanges, update]).then(() => undefined);
});

documents.onDidClose((event) =>
  guarded('closing a document', async () => {
    await indexed;
    const file = session && uriToRepoPath(session.root, event.document.uri);
    if (!session || !file) return;
    // The buffer may have been discarded: what counts again is the file on disk.
    await session.close(file);
    scheduleRecheck();
  }),
);

notification<{ changes: { uri: string; type: number }[] }>(DidChangeWatchedFilesNotification.type, checks.didChangeWatchedFilesParams, async (params) => {
  await indexed;
  if (!session) return;
  for (const change of params.changes) {
    const file = uriToRepoPath(session.root, change.uri);
    if (!file) continue;
    if (documents.get(change.uri) && change.type !== FileChangeType.Deleted) continue;
    await session.reload(file);
  }
  scheduleRecheck();
});

request(CodeActionRequest.type, checks.codeActionParams, async (params: { textDocument: { uri: string }; range: Parameters<typeof Engine.codeActionsFor>[2]; context?: { only?: string[] } }) => {
  await indexed;
  await currentFindings();
  const file = session && uriToRepoPath(session.root, params.textDocument.uri);
  if (!session || !file) return [];
  // Only what the client asks for: `source.fixAll` (or `source`) on save, quick fixes in the lightbulb.
  const only = params.context?.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const actions: CodeAction[] = [];
  const e = engine();
  if (wants(CodeActionKind.QuickFix)) {
    const model = session.model;
    actions.push(...e.codeActionsFor(session.root, session.findings(file), params.range, { suppress: (finding) => e.suppressionFixes(model, finding), textOf: (f) => model.file(f)?.text }));
  }
  if (only && wants(FIX_ALL_KIND)) {
    // With the version the findings were computed from: VS Code refuses the edit if the text moved on since.
    const fixAll = e.fixAllAction(session.root, file, session.findings(file), documents.get(params.textDocument.uri)?.version ?? null);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
});

// The server's commands, run by the client after applying a code action's edit (or instead of one).
connection.onExecuteCommand(async (params) => {
  if (params.command === SHOW_CREATED_COMMAND) {
    // A fix that created files opens them.
    if (!canShowDocument) return null;
    const uris = (Array.isArray(params.arguments) ? params.arguments : []).filter((a): a is string => typeof a === 'string' && a.startsWith('file:'));
    // The first in front: the others are opened before it (an editor opened without focus still
    // becomes its group's active editor).
    for (const [i, uri] of [...uris.entries()].reverse()) await connection.window.showDocument({ uri, takeFocus: i === 0 });
  } else if (params.command === APPLY_FIX_ENCRYPTED_COMMAND) {
    await engine().applyEncryptedFix(connection, params.arguments, () => root, () => ({ ...settings().sops, workspaceTrusted }));
  }
  return null;
});

/** The session and the repository path of a document, once the model is loaded (the first check may still run). */
async function target(uri: string): Promise<{ session: CheckSession; file: string } | undefined> {
  await loaded;
  const file = session && uriToRepoPath(session.root, uri);
  return session && file ? { session, file } : undefined;
}

/**
 * The model to answer from and the document's path: while the model loads, the open buffers
 * alone (`local`: what a file says by itself), else the whole model once loaded.
 */
async function modelFor(uri: string): Promise<{ model: RepoModel; file: string; local: boolean } | undefined> {
  if (preview) {
    const file = uriToRepoPath(preview.root, uri);
    if (file && preview.file(file)) return { model: preview, file, local: true };
  }
  const t = await target(uri);
  return t && { model: t.session.model, file: t.file, local: false };
}

async function model() {
  await loaded;
  return session?.model;
}

type Position = { line: number; character: number };
type AtPosition = { textDocument: { uri: string }; position: Position };

request(DefinitionRequest.type, checks.textDocumentPositionParams, async (params: AtPosition) => {
  const t = await target(params.textDocument.uri);
  return t ? engine().definition(t.session.model, t.file, params.position) : null;
});

request(ReferencesRequest.type, checks.referenceParams, async (params: AtPosition & { context: { includeDeclaration: boolean } }) => {
  const t = await target(params.textDocument.uri);
  return t ? engine().references(t.session.model, t.file, params.position, params.context.includeDeclaration) : null;
});

request(DocumentLinkRequest.type, checks.textDocumentParams, async (params: { textDocument: { uri: string } }) => {
  const t = await target(params.textDocument.uri);
  return t ? engine().documentLinks(t.session.model, t.file) : null;
});

// While the model loads: the names and folders of the open files only (what is known so far).
request(CompletionRequest.type, checks.completionParams, async (params: AtPosition & { context?: { triggerCharacter?: string } | null }) => {
  const t = await modelFor(params.textDocument.uri);
  return t ? engine().completion(t.model, t.file, params.position, params.context?.triggerCharacter === ' ') : null;
});

request(PrepareRenameRequest.type, checks.textDocumentPositionParams, async (params: AtPosition) => {
  const t = await target(params.textDocument.uri);
  return (t && engine().prepareRename(t.session.model, t.file, params.position)) ?? null;
});

request(RenameRequest.type, checks.renameParams, async (params: AtPosition & { newName: string }) => {
  const t = await target(params.textDocument.uri);
  if (!t) return null;
  const result = engine().rename(t.session.model, t.file, params.position, params.newName);
  if ('error' in result) throw new ResponseError(LSPErrorCodes.RequestFailed, result.error);
  return result.edit;
});

// While the model loads: what the file says by itself (an ENC[...] value's recipients, the
// field's schema), never what other files would add (what a Kustomization applies).
request(HoverRequest.type, checks.textDocumentPositionParams, async (params: AtPosition) => {
  const t = await modelFor(params.textDocument.uri);
  if (!t) return null;
  const e = engine();
  if (t.local) return e.sopsHover(t.model, t.file, params.position) ?? e.schemaHover(t.model, t.file, params.position) ?? null;
  return e.hover(t.model, t.file, params.position) ?? null;
});

request(CodeLensRequest.type, checks.textDocumentParams, async (params: { textDocument: { uri: string } }) => {
  const t = await target(params.textDocument.uri);
  return t ? engine().codeLenses(t.session.model, t.file, params.textDocument.uri) : null;
});

request(DocumentSymbolRequest.type, checks.textDocumentParams, async (params: { textDocument: { uri: string } }) => {
  const t = await modelFor(params.textDocument.uri);
  return t ? engine().documentSymbols(t.model, t.file) : null;
});

request(WorkspaceSymbolRequest.type, checks.workspaceSymbolParams, async (params: { query: string }) => {
  const m = await model();
  return m ? engine().workspaceSymbols(m, params.query) : [];
});

// The views' requests: answered from the model once loaded. Until the first check is done they
// show no problems; the modelChanged that follows it makes the client ask again.
request(ClustersRequest, checks.anything, async () => {
  await loaded;
  return session ? engine().clusters(session.model, (file) => session!.findings(file)) : [];
});

request(ComponentsRequest, checks.anything, async () => {
  await loaded;
  return session ? engine().components(session.model, (file) => session!.findings(file)) : { source: 'none' as const, layers: [], unlayered: [] };
});

request(GraphRequest, checks.anything, async () => {
  const m = await model();
  const findingsOf = (file: string) => session?.findings(file) ?? [];
  return m ? engine().dependencyGraph(m, findingsOf) : { nodes: [], edges: [], layers: [] };
});

request(FetchChartsRequest, checks.anything, async () => {
  await indexed;
  const fetching = chartFetching();
  return fetching ? fetching.fetch() : { refused: 'The server is not initialized.', fetched: 0, cached: 0, failed: 0, lines: [] };
});

request(FileContextRequest, checks.uriParams, async (params: { uri: string }) => {
  const t = await target(params.uri);
  return t ? engine().fileContext(t.session.model, t.file) : { clusters: [] };
});

request(RenderRequest, checks.renderParams, async (params: RenderParams) => {
  const t = await target(params.uri);
  if (!t) throw new ResponseError(LSPErrorCodes.RequestFailed, `${params.uri} is not a file of the workspace.`);
  const e = engine();
  // Reading HEAD runs git: not in Restricted Mode.
  const head = () => (workspaceTrusted ? e.headTree(t.session.root) : 'git is not run in Restricted Mode');
  const result = await e.render(t.session.model, t.file, params, head);
  if (typeof result === 'string') throw new ResponseError(LSPErrorCodes.RequestFailed, result);
  return result;
});

// The SOPS requests (features/sops.ts): their methods registered now, their handlers made by the engine on first use.
let sopsHandlers: ReturnType<typeof Engine.sopsRequests> | undefined;
for (const type of [SopsEncryptRequest, SopsDecryptRequest, SopsReencryptRequest, SopsRepairRequest, SopsStatusRequest]) {
  request(type, checks.anything, (params: unknown) => {
    sopsHandlers ??= engine().sopsRequests(
      () => root,
      () => ({ ...settings().sops, workspaceTrusted }),
    );
    const { check, handler } = sopsHandlers.get(type.method)!;
    const problem = check(params);
    if (problem) throw new ResponseError(ErrorCodes.InvalidParams, `${type.method}: ${problem}`);
    return handler(params);
  });
}

// Save notifications are not asked for (save: false), but TextDocuments listens to them: they go
// through the same checks as the rest.
const validatedSync = Object.create(connection) as Connection;
const syncChecks: Array<[keyof Connection, { method: string }, ParamsCheck]> = [
  ['onDidOpenTextDocument', DidOpenTextDocumentNotification.type, checks.didOpenParams],
  ['onDidChangeTextDocument', DidChangeTextDocumentNotification.type, checks.didChangeParams],
  ['onDidCloseTextDocument', DidCloseTextDocumentNotification.type, checks.didCloseParams],
  ['onWillSaveTextDocument', WillSaveTextDocumentNotification.type, checks.willSaveParams],
  ['onDidSaveTextDocument', DidSaveTextDocumentNotification.type, checks.didSaveParams],
];
for (const [name, type, check] of syncChecks) {
  Object.defineProperty(validatedSync, name, { value: (handler: (params: unknown) => void) => notification(type, check, handler) });
}
Object.defineProperty(validatedSync, 'onWillSaveTextDocumentWaitUntil', {
  value: (handler: (params: unknown, token: CancellationToken) => unknown) => request(WillSaveTextDocumentWaitUntilRequest.type, checks.willSaveParams, (params) => handler(params, CancellationToken.None) ?? []),
});

documents.listen(validatedSync);

// The last line of defence: whatever a handler let escape is logged, and the server goes on.
process.on('uncaughtException', (error) => logFailure('a handler', error));
process.on('unhandledRejection', (error) => logFailure('a handler', error));
connection.listen();
