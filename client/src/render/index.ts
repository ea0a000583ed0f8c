// "Show Rendered Output" and "Compare Rendered with HEAD": the YAML Flux would apply for a Flux
// Kustomization in a cluster (or kustomize builds of a kustomization folder), as read-only
// `gitops-render:` documents that the server renders (gitopsGuardrails/render) and that refresh
// whenever the server's model changes.
import * as vscode from 'vscode';
import type { RenderParams } from '../../../server/src/protocol';
import { log } from '../log';
import type { ServerModel } from '../serverModel';

export const RENDER_SCHEME = 'gitops-render';

/** The params of a rendered document travel in its URI's query; its path is the title people see. */
function renderUri(title: string, params: RenderParams): vscode.Uri {
  const path = `/${title.replace(/[\\?#%]/g, '_')}.yaml`;
  return vscode.Uri.from({ scheme: RENDER_SCHEME, path, query: JSON.stringify(params) });
}

class RenderedContent implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly model: ServerModel) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    let params: RenderParams;
    try {
      params = JSON.parse(uri.query) as RenderParams;
    } catch {
      return '# This rendered view has no target.\n';
    }
    try {
      return (await this.model.render(params)).text;
    } catch (error) {
      return `# Cannot be rendered: ${(error as Error).message}\n`;
    }
  }

  /** Every open rendered view is rendered again. */
  refresh(): void {
    for (const document of vscode.workspace.textDocuments) if (document.uri.scheme === RENDER_SCHEME) this.changed.fire(document.uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The target under the command: the code lens's argument, else the active editor's file and cursor. */
function paramsOf(model: ServerModel, arg: unknown): RenderParams | undefined {
  if (arg && typeof arg === 'object' && typeof (arg as RenderParams).uri === 'string') return arg as RenderParams;
  if (arg instanceof vscode.Uri) return { uri: model.protocolUri(arg) };
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'file') return undefined;
  return { uri: model.protocolUri(editor.document.uri), position: { line: editor.selection.active.line, character: editor.selection.active.character } };
}

/** Resolves the target once, so that the view stays on it while lines move: its Kustomization and cluster, or its folder. */
async function resolve(model: ServerModel, arg: unknown): Promise<{ title: string; params: RenderParams } | undefined> {
  const params = paramsOf(model, arg);
  if (!params) {
    void vscode.window.showInformationMessage('Open a Flux Kustomization or a kustomization.yaml to render it.');
    return undefined;
  }
  try {
    const result = await model.render(params);
    const target = 'folder' in result.target ? { uri: params.uri } : { uri: params.uri, kustomization: result.target.kustomization, cluster: result.target.cluster };
    return { title: result.title, params: target };
  } catch (error) {
    void vscode.window.showWarningMessage((error as Error).message);
    return undefined;
  }
}

export function registerRenderCommands(context: vscode.ExtensionContext, model: ServerModel): void {
  const content = new RenderedContent(model);
  context.subscriptions.push(
    content,
    vscode.workspace.registerTextDocumentContentProvider(RENDER_SCHEME, content),
    model.onDidChange(() => content.refresh()),
    vscode.commands.registerCommand('gitopsGuardrails.showRenderedOutput', async (arg?: unknown) => {
      const resolved = await resolve(model, arg);
      if (!resolved) return undefined;
      const document = await vscode.workspace.openTextDocument(renderUri(resolved.title, resolved.params));
      await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
      return document.uri;
    }),
    vscode.commands.registerCommand('gitopsGuardrails.compareRenderedWithHead', async (arg?: unknown) => {
      const resolved = await resolve(model, arg);
      if (!resolved) return undefined;
      const head = renderUri(`${resolved.title} (HEAD)`, { ...resolved.params, ref: 'HEAD' });
      const working = renderUri(resolved.title, resolved.params);
      log()?.info(`Comparing the rendered output of ${resolved.title} with HEAD`);
      await vscode.commands.executeCommand('vscode.diff', head, working, `Rendered ${resolved.title}: HEAD ↔ working tree`, { preview: false });
      return working;
    }),
  );
}
