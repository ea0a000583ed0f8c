// The client's only way to the repository model: the custom requests of `protocol.ts`, and one
// change event for everything that shows the model (views, graph, status bar).
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  ClustersRequest,
  ComponentsRequest,
  FileContextRequest,
  GraphRequest,
  ModelChangedNotification,
  RenderRequest,
  type ClusterItem,
  type ComponentsResult,
  type FileContext,
  type GraphResult,
  type RenderParams,
  type RenderResult,
} from '../../server/src/protocol';

/** The server re-checks on every keystroke; views need not follow faster than this. */
const CHANGE_DELAY_MS = 300;

export class ServerModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the server changed its model or findings, and after it (re)started. */
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly client: LanguageClient) {
    // One handler per notification method: the connection keeps only the last one registered.
    this.subscriptions = [
      client.onNotification(ModelChangedNotification, () => this.changedSoon()),
      client.onDidChangeState((event) => {
        if (event.newState === State.Running) this.changedSoon();
      }),
    ];
  }

  clusters(): Promise<ClusterItem[]> {
    return this.client.sendRequest(ClustersRequest);
  }

  components(): Promise<ComponentsResult> {
    return this.client.sendRequest(ComponentsRequest);
  }

  graph(): Promise<GraphResult> {
    return this.client.sendRequest(GraphRequest);
  }

  fileContext(uri: vscode.Uri): Promise<FileContext> {
    return this.client.sendRequest(FileContextRequest, { uri: this.client.code2ProtocolConverter.asUri(uri) });
  }

  /** The rendered build of a target (RenderParams' uri is a protocol URI, as the server's code lenses send it). */
  render(params: RenderParams): Promise<RenderResult> {
    return this.client.sendRequest(RenderRequest, params);
  }

  /** A document URI as the server names it. */
  protocolUri(uri: vscode.Uri): string {
    return this.client.code2ProtocolConverter.asUri(uri);
  }

  private changedSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), CHANGE_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
