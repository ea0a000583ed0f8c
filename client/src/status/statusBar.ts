// The status bar item of the active file: where it is deployed, its layer and its component.
import * as vscode from 'vscode';
import type { ServerModel } from '../serverModel';
import { REVEAL_ACTIVE_FILE_COMMAND } from '../views';
import { fileContextText } from './fileContextText';

export function registerStatusBar(context: vscode.ExtensionContext, model: ServerModel): void {
  const item = vscode.window.createStatusBarItem('gitopsGuardrails.fileContext', vscode.StatusBarAlignment.Left, 50);
  item.name = 'GitOps Guardrails: File Context';
  item.command = REVEAL_ACTIVE_FILE_COMMAND;
  let request = 0;

  const update = async () => {
    const current = ++request;
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== 'file') {
      item.hide();
      return;
    }
    const text = await model.fileContext(uri).then(fileContextText, () => undefined);
    // A later editor change has already taken over.
    if (current !== request) return;
    if (!text) {
      item.hide();
      return;
    }
    item.text = text.text;
    item.tooltip = new vscode.MarkdownString(`${text.tooltip}\n\n_Click to show the file in the Components view._`, true);
    item.show();
  };

  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    model.onDidChange(() => void update()),
  );
  void update();
}
