// The language server: LSP wiring only. Everything it reports comes from CheckSession.
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeLenses } from './features/codeLens';
import { completion } from './features/completion';
import { definition } from './features/definition';
import { APPLY_FIX_ENCRYPTED_COMMAND, codeActionsFor, fixAllAction, FIX_ALL_KIND, SHOW_CREATED_COMMAND, toDiagnostic } from './features/diagnostics';
import { suppressionFixes } from './features/suppress';
import { documentLinks } from './features/documentLinks';
import { fileContext } from './features/fileContext';
import { dependencyGraph } from './features/graph';
import { hover } from './features/hover';
import { references } from './features/references';
import { prepareRename, rename } from './features/rename';
import { documentSymbols, workspaceSymbols } from './features/symbols';
import { clusters, components } from './features/tree';
import { ClustersRequest, ComponentsRequest, FileContextRequest, GraphRequest, ModelChangedNotification } from './protocol';
import { CheckSession } from './session';
import { readSettings, type EditorSettings } from './settings';
import { repoPathToUri, uriToAbsolute, uriToRepoPath } from './uris';
import type { Finding } from './rules/types';

const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let session: CheckSession | undefined;
let ready: Promise<void> | undefined;
let root: string | undefined;
let canRegisterWatchers = false;
let recheckTimer: NodeJS.Timeout | undefined;
let modelVersion = 0;
let settings: EditorSettings = readSettings(undefined);
let canRefreshCodeLenses = false;
let canShowDocument = false;

connection.onInitialize((params: InitializeParams) => {
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  root = folder ? uriToAbsolute(folder) : params.rootPath ?? undefined;
  canRegisterWatchers = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  canRefreshCodeLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  canShowDocument = params.capabilities.window?.showDocument?.support === true;
  settings = readSettings(params.initializationOptions, (m) => connection.console.warn(m));
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

connection.onDidChangeConfiguration(async (params) => {
  const section = (params.settings as any)?.gitopsGuardrails;
  if (!section) return;
  settings = readSettings(section, (m) => connection.console.warn(m));
  await ready;
  session?.setSeverities(settings.severities);
  scheduleRecheck();
});

connection.onInitialized(() => {
  if (canRegisterWatchers) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
  }
  if (!root) {
    connection.console.warn('gitops-guardrails: no workspace folder; nothing to check.');
    return;
  }
  ready = indexWorkspace(root);
});

async function indexWorkspace(workspaceRoot: string): Promise<void> {
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin('GitOps Guardrails', 0, 'Indexing the repository', false);
  const started = Date.now();
  try {
    session = await CheckSession.open(
      workspaceRoot,
      { severities: settings.severities, onRuleError: (rule, error) => connection.console.error(`rule ${rule.id} failed: ${(error as Error).stack ?? error}`) },
      (done, total) => progress?.report(Math.round((done / Math.max(1, total)) * 100), `${done}/${total} files`),
    );
    for (const document of documents.all()) {
      const file = uriToRepoPath(workspaceRoot, document.uri);
      if (file) session.setText(file, document.getText());
    }
    publish(session.recheck());
    notifyModelChanged();
    connection.console.info(`gitops-guardrails: indexed ${session.model.files.size} YAML files in ${Date.now() - started} ms`);
  } catch (error) {
    connection.console.error(`gitops-guardrails: indexing failed: ${(error as Error).message}`);
  } finally {
    progress?.done();
  }
}

function publish(changed: Map<string, Finding[]>): void {
  if (!session) return;
  for (const [file, findings] of changed) {
    void connection.sendDiagnostics({ uri: repoPathToUri(session.root, file), diagnostics: findings.map((f) => toDiagnostic(session!.root, f)) });
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
  recheckTimer = setTimeout(() => {
    recheckTimer = undefined;
    if (session) {
      const started = Date.now();
      publish(session.recheck());
      notifyModelChanged();
      lastCheckMs = Date.now() - started;
    }
  }, Math.min(1000, Math.max(40, 2 * lastCheckMs)));
}

documents.onDidChangeContent(async (event) => {
  await ready;
  const file = session && uriToRepoPath(session.root, event.document.uri);
  if (!session || !file) return;
  session.setText(file, event.document.getText());
  scheduleRecheck();
});

documents.onDidClose(async (event) => {
  await ready;
  const file = session && uriToRepoPath(session.root, event.document.uri);
  if (!session || !file) return;
  // The buffer may have been discarded: what counts again is the file on disk.
  await session.reload(file);
  scheduleRecheck();
});

connection.onDidChangeWatchedFiles(async (params) => {
  await ready;
  if (!session) return;
  for (const change of params.changes) {
    const file = uriToRepoPath(session.root, change.uri);
    if (!file || file.split('/').some((part) => part === '.git' || part === 'node_modules')) continue;
    if (documents.get(change.uri) && change.type !== FileChangeType.Deleted) continue;
    await session.reload(file);
  }
  scheduleRecheck();
});

connection.onCodeAction(async (params) => {
  await ready;
  const file = session && uriToRepoPath(session.root, params.textDocument.uri);
  if (!session || !file) return [];
  // Only what the client asks for: `source.fixAll` (or `source`) on save, quick fixes in the lightbulb.
  const only = params.context?.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    const model = session.model;
    actions.push(...codeActionsFor(session.root, session.findings(file), params.range, { suppress: (finding) => suppressionFixes(model, finding), textOf: (f) => model.file(f)?.text }));
  }
  if (only && wants(FIX_ALL_KIND)) {
    const fixAll = fixAllAction(session.root, file, session.findings(file));
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
    for (const [i, uri] of uris.entries()) await connection.window.showDocument({ uri, takeFocus: i === 0 });
  } else if (params.command === APPLY_FIX_ENCRYPTED_COMMAND) {
    const sops = await import('./features/sops');
    await sops.applyEncryptedFix(connection, params.arguments, () => root, () => settings.sops);
  }
  return null;
});

/** The session and the repository path of a document, once indexing is done. */
async function target(uri: string): Promise<{ session: CheckSession; file: string } | undefined> {
  await ready;
  const file = session && uriToRepoPath(session.root, uri);
  return session && file !== undefined ? { session, file } : undefined;
}

async function model() {
  await ready;
  return session?.model;
}

connection.onDefinition(async (params) => {
  const t = await target(params.textDocument.uri);
  return t ? definition(t.session.model, t.file, params.position) : null;
});

connection.onReferences(async (params) => {
  const t = await target(params.textDocument.uri);
  return t ? references(t.session.model, t.file, params.position, params.context.includeDeclaration) : null;
});

connection.onDocumentLinks(async (params) => {
  const t = await target(params.textDocument.uri);
  return t ? documentLinks(t.session.model, t.file) : null;
});

connection.onCompletion(async (params) => {
  const t = await target(params.textDocument.uri);
  return t ? completion(t.session.model, t.file, params.position, params.context?.triggerCharacter === ' ') : null;
});

connection.onPrepareRename(async (params) => {
  const t = await target(params.textDocument.uri);
  return (t && prepareRename(t.session.model, t.file, params.position)) ?? null;
});

connection.onRenameRequest(async (params) => {
  const t = await target(params.textDocument.uri);
  if (!t) return null;
  const result = rename(t.session.model, t.file, params.position, params.newName);
  if ('error' in result) throw new ResponseError(LSPErrorCodes.RequestFailed, result.error);
  return result.edit;
});

connection.onHover(async (params) => {
  const t = await target(params.textDocument.uri);
  return (t && hover(t.session.model, t.file, params.position)) ?? null;
});

connection.onCodeLens(async (params) => {
  const t = await target(params.textDocument.uri);
  return t ? codeLenses(t.session.model, t.file) : null;
});

connection.onDocumentSymbol(async (params) => {
  const t = await target(params.textDocument.uri);
  return t ? documentSymbols(t.session.model, t.file) : null;
});

connection.onWorkspaceSymbol(async (params) => {
  const m = await model();
  return m ? workspaceSymbols(m, params.query) : [];
});

connection.onRequest(ClustersRequest, async () => {
  await ready;
  return session ? clusters(session.model, (file) => session!.findings(file)) : [];
});

connection.onRequest(ComponentsRequest, async () => {
  await ready;
  return session ? components(session.model, (file) => session!.findings(file)) : { source: 'none' as const, layers: [], unlayered: [] };
});

connection.onRequest(GraphRequest, async () => {
  const m = await model();
  const findingsOf = (file: string) => session?.findings(file) ?? [];
  return m ? dependencyGraph(m, findingsOf) : { nodes: [], edges: [], layers: [] };
});

connection.onRequest(FileContextRequest, async (params) => {
  const t = await target(params.uri);
  return t ? fileContext(t.session.model, t.file) : { clusters: [] };
});

void import('./features/sops').then((sops) => sops.registerSopsRequests(connection, () => root, () => settings.sops));
documents.listen(connection);
connection.listen();
