// The UI bridge's messages, shared by the harness (runner/uiBridge.ts) and the extension-host
// tests (suite/ui.ts). No imports: both sides bundle it.

/** Prefix of a request line in the extension host's console output. */
export const UI_BRIDGE_MARKER = '[gg-e2e-ui] ';

export type UiRequest = { id: string; timeoutMs?: number } & (
  /** A screenshot of the workbench, saved as test-results/<name>.png. */
  | { action: 'screenshot'; name: string; settleMs?: number }
  /** The inner texts of the elements a selector matches, once there is one. */
  | { action: 'texts'; selector: string }
  /** Clicks the first element a selector matches (with `text` in it, when given). */
  | { action: 'click'; selector: string; text?: string }
  /** Fills an input and presses a key in it (e.g. Enter). */
  | { action: 'fill'; selector: string; text: string; press?: string }
  /** Presses a key (e.g. Escape) in whatever has the focus. */
  | { action: 'press'; key: string }
  /** What the dependency graph's webview shows, read from its DOM. */
  | { action: 'graph' }
);

export interface GraphFacts {
  /** The selected cluster ('' is every cluster). */
  cluster: string;
  clusters: string[];
  nodes: { id: string; label: string; kind: string; marker: string | null; count: string | null }[];
  message: string | null;
}

export interface UiAnswer {
  ok: boolean;
  error?: string;
  file?: string;
  texts?: string[];
  graph?: GraphFacts;
}
