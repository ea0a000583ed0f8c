// The VS Code side of both tree views: a data provider over `TreeNode`s, their tree items, and the
// decoration provider that shows problem counts as badges.
import * as vscode from 'vscode';
import { hasProblems, PROBLEMS_SCHEME, problemBadge, problemsFromQuery, problemsUriString } from './problems';
import { ensureUniqueIds, findNode, type TreeNode } from './treeNodes';

export const OPEN_LOCATION_COMMAND = 'gitopsGuardrails.openLocation';

/** A tree view's data: roots loaded on demand from the server, rebuilt on every refresh. */
export class TreeNodeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly parents = new Map<TreeNode, TreeNode>();
  /** The roots the view shows, once it has asked for them. */
  private roots: TreeNode[] | undefined;

  constructor(private readonly load: () => Promise<TreeNode[]>, private readonly what: string) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.children;
    this.parents.clear();
    let roots: TreeNode[];
    try {
      roots = ensureUniqueIds(await this.load());
    } catch (error) {
      roots = [errorNode(this.what, error)];
    }
    const remember = (parent: TreeNode) => {
      for (const child of parent.children) {
        this.parents.set(child, parent);
        remember(child);
      }
    };
    roots.forEach(remember);
    this.roots = roots;
    return roots;
  }

  /** A node the view shows (loading the roots if the view never did), for `TreeView.reveal`. */
  async find(predicate: (node: TreeNode) => boolean): Promise<TreeNode | undefined> {
    return findNode(this.roots ?? (await this.getChildren()), predicate);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state = node.children.length === 0
      ? vscode.TreeItemCollapsibleState.None
      : node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    // A decoration URI only where there is something to show: it is what the badge hangs on.
    if (hasProblems(node.problems)) item.resourceUri = vscode.Uri.parse(problemsUriString(node.id, node.problems));
    if (node.location) item.command = { command: OPEN_LOCATION_COMMAND, title: 'Open', arguments: [node.location] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function errorNode(what: string, error: unknown): TreeNode {
  const message = error instanceof Error ? error.message : String(error);
  return { id: 'error', kind: 'resource', label: `Could not load ${what}`, description: message, tooltip: message, contextValue: 'error', icon: 'warning', children: [] };
}

/** Error and warning counts of tree items as badges in the problem colours. */
export class ProblemDecorationProvider implements vscode.FileDecorationProvider {
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== PROBLEMS_SCHEME) return undefined;
    const badge = problemBadge(problemsFromQuery(uri.query));
    if (!badge) return undefined;
    const color = new vscode.ThemeColor(badge.severity === 'error' ? 'list.errorForeground' : 'list.warningForeground');
    return new vscode.FileDecoration(badge.text, badge.tooltip, color);
  }
}
