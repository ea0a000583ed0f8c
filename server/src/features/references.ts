// Find references: every name that refers to the object under the cursor, in its clusters.
import type { Location } from 'vscode-languageserver';
import type { RepoModel } from '../model/model';
import type { Position, Range } from '../model/types';
import { repoPathToUri } from '../uris';
import { compareLocations, referencesTo, resolve, symbolAt } from './crossReferences';

export function references(model: RepoModel, file: string, position: Position, includeDeclaration: boolean): Location[] {
  const symbol = symbolAt(model, file, position);
  if (!symbol) return [];
  const declarations = resolve(model, symbol);
  const found: Array<{ file: string; range: Range }> = referencesTo(model, symbol, declarations).map((s) => ({ file: s.file, range: s.range }));
  if (includeDeclaration) found.push(...declarations.map((d) => ({ file: d.resource.file, range: d.range })));
  return found.sort(compareLocations).map((l) => ({ uri: repoPathToUri(model.root, l.file), range: l.range }));
}
