// Messages between the graph panel (extension host) and its webview (`media/graph.js`).
import type { PositionedGraph } from './layout';

export type ToWebview =
  | { type: 'graph'; graph: PositionedGraph; clusters: string[]; cluster: string | undefined; highlight: string[] }
  | { type: 'highlight'; ids: string[] }
  | { type: 'error'; message: string };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'open'; id: string }
  /** An empty cluster shows every cluster. */
  | { type: 'cluster'; cluster: string };

export function isFromWebview(message: unknown): message is FromWebview {
  if (typeof message !== 'object' || message === null) return false;
  const { type, id, cluster } = message as Record<string, unknown>;
  return type === 'ready' || (type === 'open' && typeof id === 'string') || (type === 'cluster' && typeof cluster === 'string');
}
