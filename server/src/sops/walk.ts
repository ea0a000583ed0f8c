/**
 * The tree walk shared by encryption, decryption and the partial-encryption check. It mirrors
 * sops' `walkBranch`/`walkSlice`: the AAD path holds mapping keys only, and a per-level stack
 * of the comments directly preceding the current item feeds the comment-regex selection.
 */
import type { SopsComment, SopsMapping, SopsNode, SopsScalar, SopsSequence } from './tree';

export interface LeafContext {
  /** Mapping keys from the document root (the AAD path). */
  path: readonly string[];
  /** Mapping keys and sequence indices, for messages. */
  location: readonly (string | number)[];
  commentStack: readonly (readonly string[])[];
  isComment: boolean;
  /** Index of the document in a multi-document YAML file. */
  document: number;
}

export type LeafVisitor = (leaf: SopsScalar | SopsComment, ctx: LeafContext) => SopsScalar | SopsComment;

/** Walks one document and returns a new tree with every leaf and comment replaced by the visitor's result. */
export function walkBranch(branch: SopsMapping, visit: LeafVisitor, document = 0): SopsMapping {
  return walkMapping(branch, [], [], [], visit, document);
}

function walkMapping(
  map: SopsMapping,
  path: string[],
  location: (string | number)[],
  stack: string[][],
  visit: LeafVisitor,
  document: number,
): SopsMapping {
  const levels = [...stack, [] as string[]];
  const here = levels[levels.length - 1];
  const items = map.items.map((item) => {
    if (item.kind === 'comment') {
      here.push(item.text);
      return visit(item, { path, location, commentStack: levels, isComment: true, document }) as SopsComment;
    }
    const value = walkNode(item.value, [...path, item.key], [...location, item.key], levels, visit, document);
    here.length = 0;
    return { kind: 'pair' as const, key: item.key, value };
  });
  return { kind: 'map', items };
}

function walkSequence(
  seq: SopsSequence,
  path: string[],
  location: (string | number)[],
  stack: string[][],
  visit: LeafVisitor,
  document: number,
): SopsSequence {
  const levels = [...stack, [] as string[]];
  const here = levels[levels.length - 1];
  let index = 0;
  const items = seq.items.map((item) => {
    if (item.kind === 'comment') {
      here.push(item.text);
      return visit(item, { path, location, commentStack: levels, isComment: true, document }) as SopsComment;
    }
    const value = walkNode(item, path, [...location, index++], levels, visit, document);
    here.length = 0;
    return value;
  });
  return { kind: 'seq', items };
}

function walkNode(
  node: SopsNode,
  path: string[],
  location: (string | number)[],
  stack: string[][],
  visit: LeafVisitor,
  document: number,
): SopsNode {
  if (node.kind === 'map') return walkMapping(node, path, location, stack, visit, document);
  if (node.kind === 'seq') return walkSequence(node, path, location, stack, visit, document);
  // Null values are not walked by sops: never encrypted, never in the MAC.
  if (node.kind === 'null') return node;
  return visit(node, { path, location, commentStack: stack, isComment: false, document }) as SopsScalar;
}
