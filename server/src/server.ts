// The language server: LSP wiring only. Everything it reports comes from CheckSession.
import {
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActionsFor, toDiagnostic } from './features/diagnostics';
import { CheckSession } from './session';
import { repoPathToUri, uriToAbsolute, uriToRepoPath } from './uris';
import type { Finding } from './rules/types';

const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let session: CheckSession | undefined;
let ready: Promise<void> | undefined;
let root: string | undefined;
let canRegisterWatchers = false;
let recheckTimer: NodeJS.Timeout | undefined;

connection.onInitialize((params: InitializeParams) => {
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  root = folder ? uriToAbsolute(folder) : params.rootPath ?? undefined;
  canRegisterWatchers = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
    },
    serverInfo: { name: 'gitops-guardrails' },
  };
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
      { onRuleError: (rule, error) => connection.console.error(`rule ${rule.id} failed: ${(error as Error).stack ?? error}`) },
      (done, total) => progress?.report(Math.round((done / Math.max(1, total)) * 100), `${done}/${total} files`),
    );
    for (const document of documents.all()) {
      const file = uriToRepoPath(workspaceRoot, document.uri);
      if (file) session.setText(file, document.getText());
    }
    publish(session.recheck());
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

function scheduleRecheck(): void {
  if (recheckTimer) clearTimeout(recheckTimer);
  recheckTimer = setTimeout(() => {
    recheckTimer = undefined;
    if (session) publish(session.recheck());
  }, 40);
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
  return codeActionsFor(session.root, session.findings(file), params.range);
});

documents.listen(connection);
connection.listen();
