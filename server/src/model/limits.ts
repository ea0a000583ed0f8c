// Resource limits on a YAML document: the one place a parsed document becomes a plain value.
// A document over a limit (an alias bomb, absurd nesting, a huge file) is reported once by
// parse.ts as a problem of its file, and is then no value for anyone, so it cannot make a rule,
// the graph or the configuration throw (and so silence everything else).
import { isAlias, isCollection, isMap, isPair, parseAllDocuments, type Document, type Node } from 'yaml';

export const DOCUMENT_LIMITS = {
  /** yaml's `maxAliasCount`: aliases × the nodes they expand to (go-yaml refuses such files too). */
  maxAliasCount: 1000,
  /** Nesting of mappings and sequences; Kubernetes objects and chart values stay far below. */
  maxDepth: 256,
  /** Characters in one file: larger files are not parsed (checked as unparsable). */
  maxFileLength: 16 * 1024 * 1024,
} as const;

/** Why a file's text is too large to parse, or undefined. */
export function fileTooLarge(text: string): string | undefined {
  if (text.length <= DOCUMENT_LIMITS.maxFileLength) return undefined;
  const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
  return `The file is ${mb(text.length)}, over the ${mb(DOCUMENT_LIMITS.maxFileLength)} limit: not parsed, not checked.`;
}

/**
 * A document as a plain value, or why it exceeds a limit (nesting, then aliases). An alias becomes
 * a copy of what its anchor holds, as go-yaml (and so kustomize and Flux) decodes it: a change to
 * one place (a patch of the first container's `env: &env`) never shows at the other (`env: *env`).
 */
export function readDocument(doc: Document.Parsed | Document): { value: any; problem?: undefined } | { value?: undefined; problem: string; at?: [number, number] } {
  const shape = shapeOf(doc.contents as Node | null);
  if (shape.depth > DOCUMENT_LIMITS.maxDepth) {
    return { problem: `This document nests deeper than ${DOCUMENT_LIMITS.maxDepth} levels: not checked.` };
  }
  // Strict YAML allows any node as a key; Go's yaml (kustomize, Flux) decodes keys into a Go map
  // and refuses a mapping or sequence there. Unquoted templating (`name: {{ .x }}`) is the usual cause.
  if (shape.collectionKey) {
    const range = shape.collectionKey.range;
    return {
      problem: `A mapping key that is itself a ${isMap(shape.collectionKey) ? 'mapping' : 'sequence'}: kustomize and Flux read YAML with Go's parser, which refuses it (invalid map key). Quote the text if it is not meant as YAML structure.`,
      ...(range ? { at: [range[0], range[1]] as [number, number] } : {}),
    };
  }
  try {
    const value = doc.toJS({ maxAliasCount: DOCUMENT_LIMITS.maxAliasCount });
    return { value: shape.aliases ? unshared(value) : value };
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    if (/alias/i.test(message)) {
      return { problem: `This document's aliases expand past the limit of ${DOCUMENT_LIMITS.maxAliasCount} nodes (a resource-exhaustion risk; kustomize refuses it too): not checked.` };
    }
    return { problem: `This document cannot be read: ${message.split('\n')[0].slice(0, 200)}` };
  }
}

/**
 * A document as a plain value, within the limits; undefined when it is over one (parse.ts has
 * reported that on its file). Every `toJS` of the product goes through here.
 */
export function plainValue(doc: Document.Parsed | Document): any {
  return readDocument(doc).value;
}

/** How deep mappings and sequences nest, and whether there are aliases, without recursion (a deep document must not overflow the stack). */
function shapeOf(root: Node | null): { depth: number; aliases: boolean; collectionKey?: Node } {
  if (!root) return { depth: 0, aliases: false };
  let max = 0;
  let aliases = false;
  let collectionKey: Node | undefined;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (isPair(node)) {
      // The first in the text, where several are.
      if (isCollection(node.key) && (!collectionKey || (node.key.range?.[0] ?? 0) < (collectionKey.range?.[0] ?? 0))) collectionKey = node.key;
      stack.push([node.key, depth], [node.value, depth]);
      continue;
    }
    if (isAlias(node)) aliases = true;
    if (!isCollection(node) || isAlias(node)) continue;
    if (depth > max) max = depth;
    if (max > DOCUMENT_LIMITS.maxDepth) return { depth: max, aliases };
    for (const item of node.items) stack.push([item, depth + 1]);
  }
  return { depth: max, aliases, collectionKey };
}

/**
 * A copy of a plain value in which no object or array is reached twice (toJS gives an alias the
 * anchor's value itself). The alias limit bounds its size; the nesting limit bounds its depth.
 */
function unshared(value: unknown): any {
  if (Array.isArray(value)) return value.map(unshared);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(copy, k, { value: unshared(v), enumerable: true, writable: true, configurable: true });
    return copy;
  }
  return value;
}

/**
 * The plain values of a YAML text that is not a file of the repository (an inline patch), within
 * the same limits; undefined when a document does not parse or is over a limit.
 */
export function parsePlainDocuments(text: string): unknown[] | undefined {
  if (fileTooLarge(text)) return undefined;
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, logLevel: 'error' }) as Document.Parsed[];
  } catch {
    return undefined;
  }
  const values: unknown[] = [];
  for (const doc of documents) {
    if (doc.errors.length > 0) return undefined;
    const { value, problem } = readDocument(doc);
    if (problem) return undefined;
    if (value != null) values.push(value);
  }
  return values;
}
