// Document symbols (one per YAML object, `Kind/name`) and workspace symbols matched on `Kind/name`.
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import { isFluxKustomization, isFluxSource, isHelmRelease } from '../model/flux';
import { namespacesText, type RepoModel } from '../model/model';
import type { Range, Resource, YamlFile } from '../model/types';
import { repoPathToUri } from '../uris';
import { scalarAt, scalarRange } from './cursor';

export function symbolName(resource: Resource): string {
  return resource.name ? `${resource.kind}/${resource.name}` : resource.kind;
}

function symbolKind(resource: Resource): SymbolKind {
  if (resource.kind === 'Namespace') return SymbolKind.Namespace;
  if (isFluxKustomization(resource) || isHelmRelease(resource)) return SymbolKind.Module;
  if (isFluxSource(resource)) return SymbolKind.Package;
  return SymbolKind.Object;
}

/** The metadata.name value, else the kind value, else the document's start. */
export function selectionRange(file: YamlFile, resource: Resource): Range {
  const document = file.documents[resource.index];
  const node = scalarAt(document, ['metadata', 'name']) ?? scalarAt(document, ['kind']);
  return node ? scalarRange(file, node) : { start: resource.range.start, end: resource.range.start };
}

export function documentSymbols(model: RepoModel, path: string): DocumentSymbol[] {
  const file = model.file(path);
  if (!file) return [];
  return file.resources.map((resource) => ({
    name: symbolName(resource),
    detail: namespacesText(model.placementsOf(resource)),
    kind: symbolKind(resource),
    range: resource.range,
    selectionRange: selectionRange(file, resource),
  }));
}

export function workspaceSymbols(model: RepoModel, query: string, limit = 1000): SymbolInformation[] {
  const wanted = query.trim().toLowerCase();
  const result: SymbolInformation[] = [];
  const files = [...model.files.values()].sort((a, b) => a.path.localeCompare(b.path));
  for (const file of files) {
    if (model.graph.patchFiles.has(file.path)) continue;
    for (const resource of file.resources) {
      const name = symbolName(resource);
      if (!name.toLowerCase().includes(wanted)) continue;
      result.push({
        name,
        kind: symbolKind(resource),
        containerName: namespacesText(model.placementsOf(resource)),
        location: { uri: repoPathToUri(model.root, file.path), range: selectionRange(file, resource) },
      });
      if (result.length >= limit) return result;
    }
  }
  return result;
}
