// Starts the language server, then registers what shows its model: views, graph, status bar.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerGraph } from './graph';
import { ServerModel } from './serverModel';
import { registerStatusBar } from './status/statusBar';
import { registerViews, type RegisteredViews } from './views';

let client: LanguageClient | undefined;

/** What the extension exports: its views' data, for the end-to-end tests (not a stable API). */
export interface GitOpsGuardrailsApi {
  views?: RegisteredViews;
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
  if (!settings.get<boolean>('enable', true)) return {};

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'yaml' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*'), configurationSection: 'gitopsGuardrails' },
    // Rule severities from the settings (the repository's .gitops-guardrails.yaml wins over them)
    // and where SOPS keys and the sops binary are.
    initializationOptions: { rules: settings.get<Record<string, string>>('rules', {}), sops: settings.get<Record<string, unknown>>('sops', {}) },
  };
  client = new LanguageClient('gitopsGuardrails', 'GitOps Guardrails', serverOptions, clientOptions);
  await client.start();
  const model = new ServerModel(client);
  context.subscriptions.push(client, model);
  const views = registerViews(context, model);
  registerGraph(context, model);
  registerStatusBar(context, model);
  (await import('./sops')).registerSopsCommands(context, client);
  return { views };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
