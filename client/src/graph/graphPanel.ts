// The dependency graph panel: asks the server for the graph, lays it out, hands the positions to
// the webview, and opens a node's manifest when the webview says it was clicked.
import * as vscode from 'vscode';
import type { GraphResult } from '../../../server/src/protocol';
import { openLocation } from '../locations';
import type { ServerModel } from '../serverModel';
import { clustersOf, filterByCluster, largestCluster } from './elkGraph';
import { layoutGraph } from './layout';
import { isFromWebview, type FromWebview, type ToWebview } from './messages';
import { matchGraphNodes, type GraphTarget } from './targets';
import { graphPage, newNonce } from './webviewHtml';

const VIEW_TYPE = 'gitopsGuardrails.graph';

export class GraphPanel implements vscode.Disposable {
  private static current: GraphPanel | undefined;

  private graph: GraphResult | undefined;
  /** The cluster shown; undefined shows every cluster. */
  private cluster: string | undefined;
  private highlight: string[] = [];
  /** The last message describing the graph, re-sent when the webview (re)loads. */
  private lastGraphMessage: Extract<ToWebview, { type: 'graph' }> | undefined;
  private stale = true;
  private loading: Promise<void> | undefined;
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  /** Shows the panel; with a target, highlights its nodes (`what` names it when there are none). */
  static show(extensionUri: vscode.Uri, model: ServerModel, target?: GraphTarget, what?: string): void {
    if (!GraphPanel.current) {
      const media = vscode.Uri.joinPath(extensionUri, 'media');
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Dependency Graph', vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [media],
      });
      // A tab icon is an image, not a mask: it needs a colour per theme.
      panel.iconPath = { light: vscode.Uri.joinPath(media, 'gitops-guardrails-light.svg'), dark: vscode.Uri.joinPath(media, 'gitops-guardrails-dark.svg') };
      GraphPanel.current = new GraphPanel(panel, media, model);
    }
    GraphPanel.current.reveal(target, what);
  }

  /** Called on every model change; a hidden panel catches up when it is shown again. */
  static modelChanged(): void {
    GraphPanel.current?.markStale();
  }

  private constructor(private readonly panel: vscode.WebviewPanel, media: vscode.Uri, private readonly model: ServerModel) {
    const { webview } = panel;
    webview.html = graphPage(
      {
        cspSource: webview.cspSource,
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'graph.js')).toString(),
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'graph.css')).toString(),
      },
      newNonce(),
    );
    this.subscriptions.push(
      webview.onDidReceiveMessage((message: unknown) => {
        if (isFromWebview(message)) void this.received(message);
      }),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.stale) void this.update();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private reveal(target: GraphTarget | undefined, what: string | undefined): void {
    this.panel.reveal();
    if (!target) return;
    void this.whenLoaded().then((graph) => {
      const matches = matchGraphNodes(graph, target);
      if (matches.length === 0) void vscode.window.showInformationMessage(`${what ?? 'This item'} has no Flux Kustomization or HelmRelease in the dependency graph.`);
      this.highlight = matches.map((node) => node.id);
      const inView = matches.filter((node) => this.cluster === undefined || node.cluster === undefined || node.cluster === this.cluster);
      if (matches.length > 0 && inView.length === 0) {
        this.cluster = matches[0]!.cluster;
        void this.render();
      } else {
        if (this.lastGraphMessage) this.lastGraphMessage.highlight = this.highlight;
        void this.post({ type: 'highlight', ids: this.highlight });
      }
    });
  }

  private markStale(): void {
    this.stale = true;
    if (this.panel.visible) void this.update();
  }

  private async whenLoaded(): Promise<GraphResult> {
    while (this.loading) await this.loading;
    if (!this.graph || this.stale) await this.update();
    return this.graph ?? { nodes: [], edges: [], layers: [] };
  }

  /** Asks the server for the graph again and draws it. */
  private update(): Promise<void> {
    this.stale = false;
    const loading = this.load().finally(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    this.loading = loading;
    return loading;
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    try {
      const graph = await this.model.graph();
      if (generation !== this.generation) return;
      this.graph = graph;
      const clusters = clustersOf(graph);
      if (this.cluster !== undefined && !clusters.includes(this.cluster)) this.cluster = undefined;
      // Several clusters usually apply the same Kustomizations: one cluster at a time by default,
      // the largest first (the others are a pick away).
      if (this.cluster === undefined && clusters.length > 1 && this.lastGraphMessage === undefined) this.cluster = largestCluster(graph);
      await this.render();
    } catch (error) {
      if (generation === this.generation) await this.post({ type: 'error', message: `Could not load the dependency graph: ${messageOf(error)}` });
    }
  }

  private async render(): Promise<void> {
    const graph = this.graph;
    if (!graph) return;
    const generation = ++this.generation;
    const clusters = clustersOf(graph);
    const shown = filterByCluster(graph, this.cluster);
    const known = new Set(shown.nodes.map((node) => node.id));
    try {
      const positioned = await layoutGraph(shown, { showCluster: this.cluster === undefined && clusters.length > 1 });
      if (generation !== this.generation) return;
      this.lastGraphMessage = { type: 'graph', graph: positioned, clusters, cluster: this.cluster, highlight: this.highlight.filter((id) => known.has(id)) };
      await this.post(this.lastGraphMessage);
    } catch (error) {
      if (generation === this.generation) await this.post({ type: 'error', message: `Could not lay out the dependency graph: ${messageOf(error)}` });
    }
  }

  private async received(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        // A load already under way posts its result when it is done.
        if (this.lastGraphMessage) await this.post(this.lastGraphMessage);
        else if (!this.loading) await this.update();
        return;
      case 'cluster':
        this.cluster = message.cluster === '' ? undefined : message.cluster;
        await this.render();
        return;
      case 'open': {
        const node = this.graph?.nodes.find((candidate) => candidate.id === message.id);
        if (!node) return;
        // Beside the graph, so that it stays in view.
        const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
        await openLocation(node.location, column);
        return;
      }
    }
  }

  private post(message: ToWebview): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.panel.dispose();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
