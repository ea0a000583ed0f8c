// Registers the dependency graph's commands: show it, and reveal a tree item's node in it.
import * as vscode from 'vscode';
import type { ServerModel } from '../serverModel';
import { GraphPanel } from './graphPanel';
import type { GraphTarget } from './targets';

export function registerGraph(context: vscode.ExtensionContext, model: ServerModel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('gitopsGuardrails.showGraph', () => GraphPanel.show(context.extensionUri, model)),
    // Called from the tree views' context menu with the tree node, which may carry a target.
    vscode.commands.registerCommand('gitopsGuardrails.revealInGraph', (node?: { graphTarget?: GraphTarget; label?: string }) =>
      GraphPanel.show(context.extensionUri, model, node?.graphTarget, node?.label),
    ),
    model.onDidChange(() => GraphPanel.modelChanged()),
  );
}
