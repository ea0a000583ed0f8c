// Rename a Flux Kustomization or HelmRelease: its metadata.name and every dependsOn that names it.
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { RepoModel } from '../model/model';
import type { Position, Range } from '../model/types';
import { repoPathToUri } from '../uris';
import { compareLocations, referencesTo, resolve, symbolAt, type Declaration, type SymbolAt } from './crossReferences';

const RENAMEABLE = new Set(['Kustomization', 'HelmRelease']);
/** A Kubernetes object name (DNS-1123 subdomain). */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function renameTarget(model: RepoModel, file: string, position: Position): { symbol: SymbolAt; declarations: Declaration[] } | undefined {
  const symbol = symbolAt(model, file, position);
  if (!symbol || !RENAMEABLE.has(symbol.key.kind)) return undefined;
  if (symbol.site && symbol.site.via !== 'dependsOn') return undefined;
  const declarations = resolve(model, symbol);
  return declarations.length > 0 ? { symbol, declarations } : undefined;
}

export function prepareRename(model: RepoModel, file: string, position: Position): { range: Range; placeholder: string } | undefined {
  const target = renameTarget(model, file, position);
  return target && { range: target.symbol.range, placeholder: target.symbol.key.name };
}

export type RenameResult = { edit: WorkspaceEdit } | { error: string };

export function rename(model: RepoModel, file: string, position: Position, newName: string): RenameResult {
  const target = renameTarget(model, file, position);
  if (!target) return { error: 'Only a Flux Kustomization or HelmRelease name, or a dependsOn entry naming one, can be renamed.' };
  if (!OBJECT_NAME.test(newName)) return { error: `"${newName}" is not a valid Kubernetes object name (lower-case letters, digits, "-" and ".").` };
  const locations: Array<{ file: string; range: Range }> = [
    ...target.declarations.map((d) => ({ file: d.resource.file, range: d.range })),
    ...referencesTo(model, target.symbol, target.declarations)
      .filter((s) => s.via === 'dependsOn')
      .map((s) => ({ file: s.file, range: s.range })),
  ].sort(compareLocations);
  const changes: Record<string, TextEdit[]> = {};
  for (const location of locations) {
    const uri = repoPathToUri(model.root, location.file);
    (changes[uri] ??= []).push({ range: location.range, newText: newName });
  }
  return { edit: { changes } };
}
