/**
 * The sops tree model: ordered mappings and sequences whose items may be comments, and typed
 * leaves. Go's sops walks exactly this shape, so the order and the types decide the MAC.
 */

export type SopsScalar =
  | { kind: 'str'; value: string }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  /** `value` is Go's `time.Time.MarshalText()` form (RFC3339Nano); `source` the text as written. */
  | { kind: 'time'; value: string; source?: string }
  | { kind: 'null' };

export interface SopsComment {
  kind: 'comment';
  /** Text after `#`, leading space kept. */
  text: string;
}

export interface SopsPair {
  kind: 'pair';
  key: string;
  value: SopsNode;
}

export interface SopsMapping {
  kind: 'map';
  items: Array<SopsPair | SopsComment>;
}

export interface SopsSequence {
  kind: 'seq';
  items: Array<SopsNode | SopsComment>;
}

export type SopsNode = SopsScalar | SopsMapping | SopsSequence;

/** One YAML document or the single JSON object; the `sops` key is not part of it. */
export type SopsBranch = SopsMapping;

/** Additional authenticated data for a value: mapping keys joined by `:` plus a trailing `:`. */
export function aadOf(path: readonly string[]): string {
  return path.join(':') + ':';
}

/** A human-readable location for messages; sequence indices are shown even though AAD omits them. */
export function displayPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? '(top level)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}
