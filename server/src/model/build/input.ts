// The model as a build's input.
import type { RepoModel } from '../model';
import type { BuildInput } from './types';

/** The model as a build's input: parsed YAML from the model, other files' text from disk. */
export function modelBuildInput(model: RepoModel): BuildInput {
  return {
    kindOf: (path) => model.kindOf(path),
    children: (folder) => model.children(folder),
    yamlFile: (path) => model.file(path),
    readText: (path) => model.readText(path),
    readBytes: (path) => model.readBytes(path),
  };
}
