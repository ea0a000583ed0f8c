// Keys written twice in one mapping. Files are parsed with `uniqueKeys: false` (one such key must
// not hide the rest of the file), but kustomize and the API server refuse them ("mapping key
// already defined"), so the parse records each one for `yaml/duplicate-key`.
import { isMap, isPair, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';

export interface DuplicateKey {
  key: string;
  /** Offsets of the earlier occurrence's key. */
  first: [number, number];
  /** Offsets of the later occurrence's key (the one the model keeps). */
  second: [number, number];
  /** Offsets that remove every earlier occurrence of the key in its mapping, each with its value (the fix). */
  removals: [number, number][];
  /** How many times the key is written in the mapping. */
  count: number;
}

/** Beyond this many per file, the rest are not recorded (a generated file, or hostile input). */
const MAX_PER_FILE = 100;

export function duplicateKeysOf(text: string, documents: readonly Document.Parsed[]): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  for (const doc of documents) {
    if (doc.errors.length > 0) continue;
    eachMap(doc.contents, (map) => {
      if (found.length >= MAX_PER_FILE || map.items.length < 2 || !repeatsAKey(map)) return;
      // Where each key stands in this mapping, in order.
      const positions = new Map<string, number[]>();
      map.items.forEach((pair, index) => {
        if (!isScalar(pair.key) || !pair.key.range) return;
        const key = String(pair.key.value);
        // `<<` merges are not keys of the mapping.
        if (key === '<<' && pair.key.type === 'PLAIN') return;
        let list = positions.get(key);
        if (!list) positions.set(key, (list = []));
        list.push(index);
      });
      const keyRange = (index: number) => (map.items[index].key as { range: [number, number, number] }).range;
      for (const [key, list] of positions) {
        if (list.length < 2) continue;
        // The fix keeps the last one (the value the model reads) and removes every earlier one,
        // so that, applied, no duplicate of the key is left.
        const removals: [number, number][] = [];
        for (const index of list.slice(0, -1)) {
          const next = map.items[index + 1];
          const nextStart = next && isScalar(next.key) && next.key.range ? next.key.range[0] : undefined;
          if (nextStart === undefined) break;
          removals.push(removalOf(text, keyRange(index)[0], nextStart));
        }
        if (removals.length !== list.length - 1) continue;
        for (let k = 1; k < list.length && found.length < MAX_PER_FILE; k++) {
          const first = keyRange(list[k - 1]);
          const second = keyRange(list[k]);
          found.push({ key, first: [first[0], first[1]], second: [second[0], second[1]], removals, count: list.length });
        }
      }
    });
  }
  return found;
}

/** Whether two keys of a mapping read the same (most mappings: no, and nothing is allocated to say so). */
function repeatsAKey(map: YAMLMap): boolean {
  const items = map.items;
  if (items.length > 16) return new Set(items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : pair))).size < items.length;
  for (let i = 1; i < items.length; i++) {
    const key = items[i].key;
    if (!isScalar(key)) continue;
    for (let j = 0; j < i; j++) {
      const other = items[j].key;
      if (isScalar(other) && String(other.value) === String(key.value)) return true;
    }
  }
  return false;
}

/**
 * Every mapping below `root`, in the order of yaml's `visit` (a mapping before what it holds, keys
 * before values), without its visitor's per-node path arrays (every file is walked at parse time)
 * and without recursion (a deep document must not overflow the stack).
 */
function eachMap(root: unknown, onMap: (map: YAMLMap) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.value, node.key);
    } else if (isMap(node)) {
      onMap(node);
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
}

/**
 * The text to remove for a pair that starts at `start`, the next pair of its mapping at `next`:
 * whole lines in a block mapping (so a comment above the next key stays), else up to the next key.
 */
function removalOf(text: string, start: number, next: number): [number, number] {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nextLineStart = text.lastIndexOf('\n', next - 1) + 1;
  const blank = (from: number, to: number) => /^[ \t]*$/.test(text.slice(from, to));
  if (!blank(lineStart, start) || !blank(nextLineStart, next) || nextLineStart <= lineStart) return [start, next];
  // Keep comment lines that sit right above the next key: they describe it.
  let end = nextLineStart;
  for (;;) {
    const previousLine = text.lastIndexOf('\n', end - 2) + 1;
    if (previousLine <= lineStart || !/^[ \t]*#/.test(text.slice(previousLine, end))) break;
    end = previousLine;
  }
  return [lineStart, end];
}
