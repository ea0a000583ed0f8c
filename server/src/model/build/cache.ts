// Builds of the model's folders, kept while what they read is unchanged: an edit rebuilds only the
// folders whose build read the edited file (or a listing or path kind it changes). A YAML file is
// compared by identity (the model makes a new one whenever its text changes); other files by
// whether they exist (the model does not keep their text).
import { effectiveSpec } from '../flux';
import type { RepoModel } from '../model';
import type { FluxKustomization } from '../types';
import { buildKustomization } from './engine';
import { renderFluxKustomization } from './flux';
import { modelBuildInput } from './input';
import type { BuildResult } from './types';

interface Kept {
  result: BuildResult;
  seen: Map<string, unknown>;
}

const kept = new WeakMap<RepoModel, Map<string, Kept>>();

function stateOf(model: RepoModel, path: string): unknown {
  if (path.endsWith('/')) {
    const { files, folders } = model.children(path.slice(0, -1));
    return `${files.join('\n')}\n\n${folders.join('\n')}`;
  }
  return model.file(path) ?? model.kindOf(path);
}

function keep(model: RepoModel, key: string, build: () => BuildResult): BuildResult {
  let table = kept.get(model);
  if (!table) kept.set(model, (table = new Map()));
  const previous = table.get(key);
  if (previous && [...previous.seen].every(([path, state]) => stateOf(model, path) === state)) return previous.result;
  const result = build();
  table.set(key, { result, seen: new Map([...result.reads].map((path) => [path, stateOf(model, path)])) });
  return result;
}

/** The kustomize build of a folder of the model, reused while its reads are unchanged. */
export function modelBuild(model: RepoModel, folder: string): BuildResult {
  return keep(model, `folder ${folder}`, () => buildKustomization(modelBuildInput(model), folder));
}

/**
 * What kustomize-controller builds for a Flux Kustomization before substitution: its folder with
 * the spec's targetNamespace, patches, components... (keyed by those fields, so it outlives a
 * rebuilt graph). Undefined when the folder is not known.
 */
export function fluxBuild(model: RepoModel, ks: FluxKustomization): BuildResult | undefined {
  if (ks.folder === undefined) return undefined;
  const { postBuild, ...spec } = effectiveSpec(ks) ?? {};
  void postBuild;
  // The document is part of the key: errors and patches point into it.
  const key = `flux ${ks.folder}\n${ks.name}\n${ks.namespace}\n${ks.resource.file}#${ks.resource.index}\n${JSON.stringify(spec)}`;
  return keep(model, key, () =>
    renderFluxKustomization(modelBuildInput(model), { folder: ks.folder!, source: { file: ks.resource.file, index: ks.resource.index }, name: ks.name, namespace: ks.namespace, spec, variables: {} }),
  );
}
