// The render engine: what kustomize (and Flux on top of it) would apply, object by object.
// model/build is pure: a build reads only through its BuildInput and records every path it read
// (BuildResult.reads), so a caller can keep builds by what they read and redo only those an edit
// touches.
import { readFileSync } from 'node:fs';
import { toAbsolute } from '../paths';
import type { RepoModel } from '../model';
import type { BuildInput } from './types';

export { buildKustomization } from './engine';
export { renderFluxKustomization, type FluxKustomizationInput } from './flux';
export { envsubst, parseExpressions, type Expression } from './envsubst';
export type { BuildInput, BuildResult, BuildError, Rendered, Unresolved, SourceRef, ChainStep } from './types';

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
  };
}
