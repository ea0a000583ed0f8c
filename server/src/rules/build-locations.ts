// Where a build's source reference (a document, a kustomization entry) is in the editor.
import type { RepoModel } from '../model/model';
import type { SourceRef } from '../model/build';
import type { NodePath, Range, Resource } from '../model/types';

/** The document a source reference points into (a kustomization file is one document). */
export function sourceResource(model: RepoModel, source: SourceRef): Resource | undefined {
  const file = model.file(source.file);
  return file?.resources.find((r) => r.index === (source.index ?? 0)) ?? file?.resources[0];
}

/**
 * The range of a source reference: an entry that is a map (a patch, a generator) by its first
 * key, a list item by its value, a document by its range, a file without documents by its first line.
 */
export function sourceRange(model: RepoModel, source: SourceRef): Range {
  const file = model.file(source.file);
  const resource = sourceResource(model, source);
  if (!resource) return { start: { line: 0, character: 0 }, end: { line: 0, character: (file?.text.split('\n', 1)[0] ?? '').length } };
  let nodePath: NodePath | undefined = source.nodePath;
  if (!nodePath) return resource.range;
  const node = nodePath.reduce((n: any, k) => (n && typeof n === 'object' ? n[k] : undefined), resource.object);
  if (node && typeof node === 'object' && !Array.isArray(node) && Object.keys(node).length > 0) nodePath = [...nodePath, Object.keys(node)[0]];
  const last = nodePath[nodePath.length - 1];
  const range = model.rangeOf(resource, nodePath, typeof last === 'number' ? 'value' : 'key');
  if (range.end.line === range.start.line || typeof node !== 'string') return range;
  // A block scalar (an inline patch) is pointed at by its first line.
  const line = file?.text.split('\n', range.start.line + 1)[range.start.line] ?? '';
  return { start: range.start, end: { line: range.start.line, character: line.trimEnd().length } };
}
