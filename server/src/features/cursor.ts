// Position → YAML node: the deepest node under the cursor and its path, from the parsed AST.
import { isMap, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import { offsetAt, positionAt, rangeFromOffsets } from '../model/positions';
import type { NodePath, Position, Range, Resource, YamlFile } from '../model/types';

export interface Cursor {
  file: YamlFile;
  offset: number;
  documentIndex: number;
  document: Document.Parsed;
  /** The resource of that document, when it parsed into one. */
  resource?: Resource;
  /** Keys and indexes from the document root to the node. */
  path: NodePath;
  /** The deepest node containing the offset (a key's scalar when `onKey`). */
  node: Node | null;
  /** The cursor is on a map key (the last step of `path` is that key). */
  onKey: boolean;
  /** Top-level `kind` and `apiVersion`, read from the AST so a document with errors still has them. */
  kind: string;
  apiVersion: string;
}

interface Hit {
  path: Array<string | number>;
  node: Node | null;
  onKey: boolean;
}

export function cursorAt(file: YamlFile, position: Position): Cursor | undefined {
  const offset = offsetAt(file.lineStarts, file.text.length, position);
  const documentIndex = file.documents.findIndex((d, i) => {
    const next = file.documents[i + 1];
    return (i === 0 || offset >= d.range[0]) && (next === undefined || offset < next.range[0]);
  });
  const document = file.documents[documentIndex];
  if (!document) return undefined;
  let hit = nodeAtOffset(document, offset);
  // After `key: ` or `- ` with nothing typed yet, the empty value sits at the end of the line.
  if (!hit || !isScalar(hit.node)) {
    const lineEnd = endOfLine(file.text, offset);
    if (lineEnd > offset && file.text.slice(offset, lineEnd).trim() === '') {
      const atEnd = nodeAtOffset(document, lineEnd);
      if (atEnd && isScalar(atEnd.node) && atEnd.node.value === null) hit = atEnd;
    }
  }
  const top = document.contents;
  const read = (key: string) => {
    const value = isMap(top) ? top.get(key) : undefined;
    return typeof value === 'string' ? value : '';
  };
  return {
    file,
    offset,
    documentIndex,
    document,
    resource: file.resources.find((r) => r.index === documentIndex),
    path: hit?.path ?? [],
    node: hit?.node ?? (top as Node | null),
    onKey: hit?.onKey ?? false,
    kind: read('kind'),
    apiVersion: read('apiVersion'),
  };
}

function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline;
}

/** The deepest node of a document containing `offset` (ends included), with its path. */
export function nodeAtOffset(document: Document, offset: number): { path: Array<string | number>; node: Node | null; onKey: boolean } | undefined {
  return find(document.contents as Node | null, offset, []);
}

function contains(node: Node | null | undefined, offset: number): boolean {
  const r = node?.range;
  return !!r && offset >= r[0] && offset <= r[1];
}

function find(node: Node | null, offset: number, path: Array<string | number>): Hit | undefined {
  if (!node || !contains(node, offset)) return undefined;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const name = isScalar(key) ? String(key.value) : '';
      if (isScalar(key) && contains(key, offset)) return { path: [...path, name], node: key, onKey: true };
      const inner = find(pair.value as Node | null, offset, [...path, name]);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const inner = find(node.items[i] as Node | null, offset, [...path, i]);
      if (inner) return inner;
    }
  }
  return { path, node, onKey: false };
}

/** The range of a scalar's text, inside its quotes; an empty value is an empty range. */
export function scalarRange(file: YamlFile, node: Scalar): Range {
  const [start, end] = scalarOffsets(node);
  return rangeFromOffsets(file.lineStarts, start, end);
}

export function scalarOffsets(node: Scalar): [number, number] {
  const [start, end] = node.range ?? [0, 0];
  if (node.value === null && !node.source) return [start, start];
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  return quoted && end - start >= 2 ? [start + 1, end - 1] : [start, end];
}

/** Whether `position` lies in `range`, both ends included (a cursor right after a word is on it). */
export function rangeContains(range: Range, position: Position): boolean {
  const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(position, range.start) && after(range.end, position);
}

/** The first line of a document's contents (after leading comments), for code lenses. */
export function contentStart(file: YamlFile, document: Document.Parsed): Position {
  const node = document.contents as Node | null;
  return positionAt(file.lineStarts, node?.range?.[0] ?? document.range[0]);
}

/** The scalar at `path`, if that node is a scalar. */
export function scalarAt(document: Document, path: NodePath): Scalar | undefined {
  let node: unknown = document.contents;
  for (const step of path) {
    if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step))?.value;
    else if (isSeq(node) && typeof step === 'number') node = node.items[step];
    else return undefined;
  }
  return isScalar(node) ? node : undefined;
}
