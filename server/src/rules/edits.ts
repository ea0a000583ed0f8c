// Text edits that rules offer as fixes: replace a node, remove a list entry, append to a list.
import { isMap, isSeq, type Node } from 'yaml';
import type { RepoModel } from '../model/model';
import { nodeAt, nodeOffsets, pairAt, positionAt } from '../model/positions';
import type { NodePath, Resource } from '../model/types';
import type { FileChange, TextEdit } from './types';

export function replaceNode(model: RepoModel, resource: Resource, path: NodePath, newText: string): FileChange {
  return { kind: 'edit', file: resource.file, edits: [{ range: model.rangeOf(resource, path), newText }] };
}

/** Deletes the lines of one sequence entry (`- value`), comments on its lines included. */
export function removeListEntry(model: RepoModel, resource: Resource, entryPath: NodePath): FileChange | undefined {
  const file = model.file(resource.file);
  const doc = file?.documents[resource.index];
  if (!file || !doc) return undefined;
  const node = nodeAt(doc, entryPath) as Node | undefined;
  if (!node?.range) return undefined;
  const startLine = positionAt(file.lineStarts, node.range[0]).line;
  const endLine = positionAt(file.lineStarts, Math.max(node.range[0], node.range[1] - 1)).line;
  const edit: TextEdit = {
    range: { start: { line: startLine, character: 0 }, end: { line: endLine + 1, character: 0 } },
    newText: '',
  };
  return { kind: 'edit', file: resource.file, edits: [edit] };
}

/**
 * Appends `- value` to the block sequence at `listPath` (a key of a top-level map), creating the
 * key at the end of the document when it is absent.
 */
export function appendToList(model: RepoModel, resource: Resource, listPath: NodePath, value: string): FileChange | undefined {
  const file = model.file(resource.file);
  const doc = file?.documents[resource.index];
  if (!file || !doc) return undefined;
  const list = nodeAt(doc, listPath);
  if (isSeq(list) && list.items.length > 0 && !list.flow) {
    const last = list.items[list.items.length - 1] as Node;
    const first = list.items[0] as Node;
    if (!last.range || !first.range) return undefined;
    const firstPos = positionAt(file.lineStarts, first.range[0]);
    const lastEnd = positionAt(file.lineStarts, Math.max(last.range[0], last.range[1] - 1));
    const lineText = file.text.slice(file.lineStarts[firstPos.line], first.range[0]);
    const dash = lineText.lastIndexOf('-');
    const indent = ' '.repeat(Math.max(0, dash));
    const at = { line: lastEnd.line + 1, character: 0 };
    const newline = at.line >= file.lineStarts.length ? '\n' : '';
    return { kind: 'edit', file: resource.file, edits: [{ range: { start: at, end: at }, newText: `${newline}${indent}- ${continueLines(value, indent + '  ')}\n` }] };
  }
  if (list !== undefined && !(isSeq(list) && list.items.length === 0)) return undefined;
  const parentPath = listPath.slice(0, -1);
  const parent = nodeAt(doc, parentPath);
  if (!isMap(parent) || !parent.range) return undefined;
  const key = String(listPath[listPath.length - 1]);
  const existingPair = pairAt(doc, listPath);
  const parentStart = positionAt(file.lineStarts, parent.range[0]);
  const indent = ' '.repeat(parentStart.character);
  if (existingPair) {
    const pairNode = existingPair.key as Node;
    const keyPos = positionAt(file.lineStarts, pairNode.range![0]);
    const lineEnd = { line: keyPos.line + 1, character: 0 };
    return {
      kind: 'edit',
      file: resource.file,
      edits: [{ range: { start: keyPos, end: lineEnd }, newText: `${key}:\n${indent}  - ${continueLines(value, indent + '    ')}\n` }],
    };
  }
  const endOffset = parent.range[1];
  const endPos = positionAt(file.lineStarts, endOffset);
  const atLineStart = endPos.character === 0;
  const insertAt = atLineStart ? endPos : { line: endPos.line + 1, character: 0 };
  const needsNewline = !atLineStart && insertAt.line >= file.lineStarts.length;
  return {
    kind: 'edit',
    file: resource.file,
    edits: [{ range: { start: insertAt, end: insertAt }, newText: `${needsNewline ? '\n' : ''}${indent}${key}:\n${indent}  - ${continueLines(value, indent + '    ')}\n` }],
  };
}

/** Indents every line but the first of a multi-line list entry under its `- `. */
function continueLines(value: string, indent: string): string {
  return value.split('\n').join('\n' + indent);
}

/**
 * Appends `key: value` lines (given unindented, several lines allowed) at the end of the block
 * map at `mapPath`, indented like its other keys.
 */
export function appendToMap(model: RepoModel, resource: Resource, mapPath: NodePath, lines: string): FileChange | undefined {
  const file = model.file(resource.file);
  const doc = file?.documents[resource.index];
  if (!file || !doc) return undefined;
  const map = nodeAt(doc, mapPath);
  if (!isMap(map) || map.flow || map.items.length === 0) return undefined;
  const firstKey = map.items[0].key as Node | null;
  const lastPair = map.items[map.items.length - 1];
  const lastNode = (lastPair.value ?? lastPair.key) as Node | null;
  if (!firstKey?.range || !lastNode?.range) return undefined;
  const indent = ' '.repeat(positionAt(file.lineStarts, firstKey.range[0]).character);
  const [, end] = nodeOffsets(lastNode) ?? [0, 0];
  const lastLine = positionAt(file.lineStarts, Math.max(lastNode.range[0], end - 1)).line;
  const at = { line: lastLine + 1, character: 0 };
  const newline = at.line >= file.lineStarts.length ? '\n' : '';
  const text = lines.split('\n').map((l) => indent + l).join('\n') + '\n';
  return { kind: 'edit', file: resource.file, edits: [{ range: { start: at, end: at }, newText: newline + text }] };
}

/**
 * Sets `key` to a block value (lines given unindented) in the block map at `mapPath`: replaces
 * an empty value (`key:`, `key: {}`) in place, else appends `key:` after the map's last entry.
 */
export function insertIntoMap(model: RepoModel, resource: Resource, mapPath: NodePath, key: string, block: string): FileChange | undefined {
  const file = model.file(resource.file);
  const doc = file?.documents[resource.index];
  if (!file || !doc) return undefined;
  const existing = pairAt(doc, [...mapPath, key]);
  if (!existing) return appendToMap(model, resource, mapPath, `${key}:\n${block.split('\n').map((l) => '  ' + l).join('\n')}`);
  const keyNode = existing.key as Node | null;
  const value = existing.value as Node | null;
  if (!keyNode?.range) return undefined;
  const empty = value === null || (isMap(value) && value.items.length === 0) || (isSeq(value) && value.items.length === 0) || (!isMap(value) && !isSeq(value) && (value as any).value == null);
  if (!empty) return undefined;
  const keyPos = positionAt(file.lineStarts, keyNode.range[0]);
  const end = value?.range ? positionAt(file.lineStarts, nodeOffsets(value)![1]) : positionAt(file.lineStarts, keyNode.range[1]);
  const indent = ' '.repeat(keyPos.character + 2);
  const text = `${key}:\n${block.split('\n').map((l) => indent + l).join('\n')}`;
  // Replace through the end of the value; a trailing `:` of a null value is part of the key's line.
  const lineEnd = file.text.indexOf('\n', file.lineStarts[end.line]);
  const endOfLine = { line: end.line, character: (lineEnd < 0 ? file.text.length : lineEnd) - file.lineStarts[end.line] };
  const rest = file.text.slice(file.lineStarts[end.line] + end.character, file.lineStarts[end.line] + endOfLine.character);
  const through = /^\s*:?\s*(\{\s*\}|\[\s*\]|~|null)?\s*(#.*)?$/.test(rest) ? endOfLine : end;
  return { kind: 'edit', file: resource.file, edits: [{ range: { start: keyPos, end: through }, newText: text }] };
}

/** `base` when the folder has no file of that name, else `stem-2.ext`, `stem-3.ext`, … */
export function freeFileName(model: RepoModel, folder: string, base: string): string {
  const at = (name: string) => (folder ? `${folder}/${name}` : name);
  if (model.kindOf(at(base)) === 'missing') return base;
  const dot = base.lastIndexOf('.');
  for (let i = 2; ; i++) {
    const name = `${base.slice(0, dot)}-${i}${base.slice(dot)}`;
    if (model.kindOf(at(name)) === 'missing') return name;
  }
}

/**
 * Creates a manifest in a folder and lists it in the folder's kustomization.yaml resources; a
 * folder without kustomization.yaml is applied whole by Flux, so creating the file is enough.
 */
export function createManifest(model: RepoModel, folder: string, baseName: string, text: string): { file: string; changes: FileChange[] } | undefined {
  const name = freeFileName(model, folder, baseName);
  const file = folder ? `${folder}/${name}` : name;
  const changes: FileChange[] = [{ kind: 'create', file, text }];
  const dir = model.graph.kustomizeDirs.get(folder);
  if (dir?.file) {
    if (!dir.resource) return undefined;
    const entry = appendToList(model, dir.resource, ['resources'], name);
    if (!entry) return undefined;
    changes.push(entry);
  }
  return { file, changes };
}
