// Starts the language server, then registers what shows its model: views, graph, status bar.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { WorkspaceTrustNotification } from '../../server/src/protocol';
import { noticeSlowFirstIndex } from './indexProgress';
import { createLog, serverLog } from './log';
import { RestartPolicy } from './restartPolicy';
import { registerGraph } from './graph';
import { registerChartCommands } from './charts';
import { registerRenderCommands } from './render';
import { ServerModel } from './serverModel';
import { registerStatusBar } from './status/statusBar';
import { registerViews, type RegisteredViews } from './views';

let client: LanguageClient | undefined;

/** What the extension exports: its views' data, for the end-to-end tests (not a stable API). */
export interface GitOpsGuardrailsApi {
  views?: RegisteredViews;
  /** The folder of the extension's log files (its "GitOps Guardrails" log channel writes one there). */
  logUri?: vscode.Uri;
}

export async function activate(context: vscode.ExtensionContext): Promise<GitOpsGuardrailsApi> {
  const settings = vscode.workspace.getConfiguration('gitopsGuardrails');
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('gitopsGuardrails.enable')) return;
      const reload = await vscode.window.showInformationMessage('Reload the window to apply the change of "gitopsGuardrails.enable".', 'Reload Window');
      if (reload) await vscode.commands.executeCommand('workbench.action.reloadWindow');
    }),
  );
  if (!settings.get<boolean>('enable', true)) return { logUri: context.logUri };

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const restarts = new RestartPolicy();
  const output = createLog();
  context.subscriptions.push(output);
  const clientOptions: LanguageClientOptions = {
    // The server's log lines (index timings, config problems) with their levels.
    outputChannel: serverLog(output),
    documentSelector: [{ scheme: 'file', language: 'yaml' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*'), configurationSection: 'gitopsGuardrails' },
    // Rule severities from the settings (the repository's .gitops-guardrails.yaml wins over them),
    // where SOPS keys and the sops binary are, and whether the workspace is trusted: in Restricted
    // Mode the server runs no program (no sops binary, no SOPS_AGE_KEY_CMD).
    initializationOptions: {
      rules: settings.get<Record<string, string>>('rules', {}),
      sops: settings.get<Record<string, unknown>>('sops', {}),
      workspaceTrusted: vscode.workspace.isTrusted,
      // Charts fetched on request are kept in the extension's global storage (GITOPS_GUARDRAILS_CACHE_DIR wins).
      charts: settings.get<Record<string, unknown>>('charts', {}),
      chartCacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'charts').fsPath,
      // The parse cache (safe to delete): a window reload parses only the files that changed.
      cacheDir: context.globalStorageUri.fsPath,
    },
    // A server that stops unexpectedly is restarted; the user is told once (and when it gives up).
    errorHandler: {
      error: (_error, _message, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
      closed: () => {
        const decision = restarts.closed();
        if (decision.message) void (decision.restart ? vscode.window.showWarningMessage(decision.message) : vscode.window.showErrorMessage(decision.message));
        return { action: decision.restart ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
      },
    },
  };
  client = new LanguageClient('gitopsGuardrails', 'GitOps Guardrails', serverOptions, clientOptions);
  await client.start();
  // Trust is granted during a session (revoking it reloads the window); a restarted server starts
  // from initializationOptions, which read isTrusted again only at activation, so it is sent on
  // each start too.
  const sendTrust = () => void client?.sendNotification(WorkspaceTrustNotification, { trusted: vscode.workspace.isTrusted }).catch(() => undefined);
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(sendTrust),
    client.onDidChangeState((event) => {
      if (event.newState === State.Running) sendTrust();
    }),
  );
  const model = new ServerModel(client);
  context.subscriptions.push(client, model);
  // A large repository takes a while to index the first time: say so where it is seen.
  context.subscriptions.push(
    noticeSlowFirstIndex(
      (listener) => model.onDidChange(listener),
      (indexed) => void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'GitOps Guardrails: indexing the repository…' }, () => indexed),
    ),
  );
  const views = registerViews(context, model);
  registerGraph(context, model);
  registerRenderCommands(context, model);
  registerStatusBar(context, model);
  (await import('./sops')).registerSopsCommands(context, client);
  registerChartCommands(context, client);
  return { views, logUri: context.logUri };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
