// Offsets in a file's text to LSP positions and back; the one place where that arithmetic lives.
import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { NodePath, Position, Range } from './types';

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) starts.push(i + 1);
  }
  return starts;
}

export function positionAt(lineStarts: number[], offset: number): Position {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - lineStarts[low] };
}

export function offsetAt(lineStarts: number[], textLength: number, position: Position): number {
  if (position.line >= lineStarts.length) return textLength;
  const lineStart = lineStarts[Math.max(0, position.line)];
  const nextLine = position.line + 1 < lineStarts.length ? lineStarts[position.line + 1] : textLength;
  return Math.min(lineStart + Math.max(0, position.character), nextLine);
}

export function rangeFromOffsets(lineStarts: number[], start: number, end: number): Range {
  return { start: positionAt(lineStarts, start), end: positionAt(lineStarts, end) };
}

/** The node at `path` in a document, or undefined. Numbers index sequences, strings map keys. */
export function nodeAt(doc: Document, path: NodePath): Node | undefined {
  let node: unknown = doc.contents;
  for (const step of path) {
    if (isMap(node)) {
      node = pairOf(node, step)?.value ?? undefined;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step];
    } else {
      return undefined;
    }
  }
  return (node ?? undefined) as Node | undefined;
}

/**
 * The pair of a map under a key; failing an exact match, under a key spelled in another case
 * (kustomize reads its keys case-insensitively, and the model holds them in the schema's case).
 */
function pairOf(map: YAMLMap<unknown, unknown>, key: string | number): Pair | undefined {
  const wanted = String(key);
  const exact = map.items.find((p) => isScalar(p.key) && String(p.key.value) === wanted);
  if (exact || typeof key === 'number') return exact as Pair | undefined;
  const lower = wanted.toLowerCase();
  return map.items.find((p) => isScalar(p.key) && String(p.key.value).toLowerCase() === lower) as Pair | undefined;
}

/** The key/value pair whose key is the last step of `path`, for pointing at a key. */
export function pairAt(doc: Document, path: NodePath): Pair | undefined {
  if (path.length === 0) return undefined;
  const parent = nodeAt(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!isMap(parent)) return undefined;
  const pair = pairOf(parent, last);
  return pair && isPair(pair) ? pair : undefined;
}

/** The source range of a node's value, trimmed to its own text (no trailing comment or newline). */
export function nodeOffsets(node: Node | undefined | null): [number, number] | undefined {
  const r = node?.range;
  if (!r) return undefined;
  return [r[0], Math.max(r[0], contentEnd(node!) ?? r[1])];
}

/** A block collection's range runs to the next line; its content ends with its last item. */
function contentEnd(node: Node): number | undefined {
  if (isMap(node) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1];
    const tail = (last.value ?? last.key) as Node | null;
    return tail && typeof tail === 'object' && 'range' in tail && tail.range ? contentEnd(tail) ?? tail.range[1] : undefined;
  }
  if (isSeq(node) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1] as Node | null;
    return last?.range ? contentEnd(last) ?? last.range[1] : undefined;
  }
  return node.range?.[1];
}

/**
 * The range a rule should point at for `path`: the value node when it exists, else the key,
 * else the nearest existing ancestor.
 */
export function rangeAtPath(
  lineStarts: number[],
  doc: Document,
  path: NodePath,
  target: 'value' | 'key' = 'value',
): Range | undefined {
  if (target === 'key') {
    const pair = pairAt(doc, path);
    const keyOffsets = nodeOffsets(pair?.key as Node | undefined);
    if (keyOffsets) return rangeFromOffsets(lineStarts, keyOffsets[0], keyOffsets[1]);
  }
  for (let depth = path.length; depth >= 0; depth--) {
    const node = nodeAt(doc, path.slice(0, depth));
    const offsets = nodeOffsets(node);
    if (offsets) {
      // A map or sequence is pointed at through its key, which reads better than a whole block.
      if (depth > 0 && (isMap(node) || isSeq(node))) {
        const keyOffsets = nodeOffsets(pairAt(doc, path.slice(0, depth))?.key as Node | undefined);
        if (keyOffsets) return rangeFromOffsets(lineStarts, keyOffsets[0], keyOffsets[1]);
      }
      return rangeFromOffsets(lineStarts, offsets[0], offsets[1]);
    }
  }
  return undefined;
}
