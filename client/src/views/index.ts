// Registers the Clusters and Components views, their decorations and their commands.
import * as vscode from 'vscode';
import type { Location } from '../../../server/src/protocol';
import { openLocation } from '../locations';
import type { ServerModel } from '../serverModel';
import { clustersTree, CLUSTERS_VIEW_ID } from './clustersView';
import { componentsTree, COMPONENTS_VIEW_ID } from './componentsView';
import { OPEN_LOCATION_COMMAND, ProblemDecorationProvider, TreeNodeProvider } from './treeItems';
import { isResourceOf, type TreeNode } from './treeNodes';

/** Shows the active file's first resource in the views (the status bar item's command). */
export const REVEAL_ACTIVE_FILE_COMMAND = 'gitopsGuardrails.revealActiveFile';

const describeUri = (uri: string) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false);

/** The views' data providers, handed to tests through the extension's exports. */
export interface RegisteredViews {
  clusters: TreeNodeProvider;
  components: TreeNodeProvider;
}

export function registerViews(context: vscode.ExtensionContext, model: ServerModel): RegisteredViews {
  const clusters = new TreeNodeProvider(async () => clustersTree(await model.clusters(), describeUri), 'clusters');
  const components = new TreeNodeProvider(async () => componentsTree(await model.components(), describeUri), 'components');
  const refresh = () => {
    clusters.refresh();
    components.refresh();
  };
  const clustersView = vscode.window.createTreeView(CLUSTERS_VIEW_ID, { treeDataProvider: clusters, showCollapseAll: true });
  const componentsView = vscode.window.createTreeView(COMPONENTS_VIEW_ID, { treeDataProvider: components, showCollapseAll: true });
  context.subscriptions.push(
    clusters,
    components,
    clustersView,
    componentsView,
    vscode.window.registerFileDecorationProvider(new ProblemDecorationProvider()),
    model.onDidChange(refresh),
    vscode.commands.registerCommand('gitopsGuardrails.refreshViews', refresh),
    vscode.commands.registerCommand(OPEN_LOCATION_COMMAND, (location: Location) => openLocation(location)),
    vscode.commands.registerCommand('gitopsGuardrails.revealInExplorer', async (node?: TreeNode) => {
      if (node?.revealUri) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.parse(node.revealUri));
    }),
    vscode.commands.registerCommand(REVEAL_ACTIVE_FILE_COMMAND, async () => {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      if (!uri) return;
      // Its component first; a file outside every component may still be applied by a cluster.
      for (const [view, provider] of [[componentsView, components], [clustersView, clusters]] as const) {
        const node = await provider.find(isResourceOf(uri, (u) => vscode.Uri.parse(u).toString()));
        if (node) return view.reveal(node, { select: true, focus: false, expand: false });
      }
      await vscode.commands.executeCommand('workbench.view.extension.gitopsGuardrails');
    }),
  );
  return { clusters, components };
}
