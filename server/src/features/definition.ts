// Go to definition: from a dependsOn, sourceRef, secretRef or namespace name to the object it names.
import type { Location } from 'vscode-languageserver';
import type { RepoModel } from '../model/model';
import type { Position } from '../model/types';
import { repoPathToUri } from '../uris';
import { compareLocations, resolve, symbolAt } from './crossReferences';

export function definition(model: RepoModel, file: string, position: Position): Location[] {
  const symbol = symbolAt(model, file, position);
  if (!symbol) return [];
  return resolve(model, symbol)
    .map((d) => ({ file: d.resource.file, range: d.range }))
    .sort(compareLocations)
    .map((d) => ({ uri: repoPathToUri(model.root, d.file), range: d.range }));
}
