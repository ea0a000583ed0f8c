// The model as a build's input.
import { readFileSync } from 'node:fs';
import { toAbsolute } from '../paths';
import type { RepoModel } from '../model';
import type { BuildInput } from './types';

/** The model as a build's input: parsed YAML from the model, other files' text from disk. */
export function modelBuildInput(model: RepoModel): BuildInput {
  return {
    kindOf: (path) => model.kindOf(path),
    children: (folder) => model.children(folder),
    yamlFile: (path) => model.file(path),
    readText: (path) => {
      if (model.kindOf(path) !== 'file') return undefined;
      try {
        return readFileSync(toAbsolute(model.root, path), 'utf8');
      } catch {
        return undefined;
      }
    },
    readBytes: (path) => {
      if (model.kindOf(path) !== 'file') return undefined;
      try {
        return readFileSync(toAbsolute(model.root, path));
      } catch {
        return undefined;
      }
    },
  };
}
