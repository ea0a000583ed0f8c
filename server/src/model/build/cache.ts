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
 * What a cluster's bare root applies (a root no Flux Kustomization of the repository applies,
 * e.g. the flux-system folder `flux bootstrap` points at): the folder as kustomize-controller
 * builds it, a plain folder through the kustomization Flux generates.
 */
export function rootBuild(model: RepoModel, folder: string): BuildResult {
  return keep(model, `root ${folder}`, () => renderFluxKustomization(modelBuildInput(model), { folder, source: { file: folder }, name: '', namespace: '', spec: {}, variables: {} }));
}

/**
 * What kustomize-controller builds for a Flux Kustomization before substitution: its folder with
 * the spec's targetNamespace, patches, components... (keyed by those fields, so it outlives a
 * rebuilt graph). Undefined when the folder is not known.
 */
export function fluxBuild(model: RepoModel, ks: FluxKustomization): BuildResult | undefined {
  if (ks.folder === undefined) return undefined;
  const { postBuild, ...spec } = fluxSpec(ks);
  void postBuild;
  // The document is part of the key: errors and patches point into it.
  const key = `flux ${ks.folder}\n${ks.name}\n${ks.namespace}\n${ks.resource.file}#${ks.resource.index}\n${JSON.stringify(spec)}`;
  return keep(model, key, () =>
    renderFluxKustomization(modelBuildInput(model), { folder: ks.folder!, source: { file: ks.resource.file, index: ks.resource.index }, name: ks.name, namespace: ks.namespace, spec, variables: {} }),
  );
}

/**
 * What a Flux Kustomization applies after post-build substitution with `variables` (see
 * cluster.ts substitutionsOf): the same as fluxBuild when it substitutes nothing.
 */
export function fluxRender(model: RepoModel, ks: FluxKustomization, variables: Record<string, string>, unknownVariables?: string): BuildResult | undefined {
  if (ks.folder === undefined) return undefined;
  const spec = fluxSpec(ks);
  const substitutes = spec.postBuild && (Object.keys(variables).length > 0 || (Array.isArray(spec.postBuild.substituteFrom) && spec.postBuild.substituteFrom.length > 0));
  if (!substitutes) return fluxBuild(model, ks);
  const key = `render ${ks.folder}\n${ks.name}\n${ks.namespace}\n${JSON.stringify(spec)}\n${JSON.stringify(variables)}\n${unknownVariables ?? ''}`;
  return keep(model, key, () =>
    renderFluxKustomization(modelBuildInput(model), { folder: ks.folder!, source: { file: ks.resource.file, index: ks.resource.index }, name: ks.name, namespace: ks.namespace, spec, variables, unknownVariables }),
  );
}

/**
 * A Flux Kustomization's spec as kustomize-controller sees it: its own, the parent's spec.patches
 * applied, and the targetNamespace the parent's build left in it (a replacement or patch).
 */
export function fluxSpec(ks: FluxKustomization): any {
  const spec = { ...(effectiveSpec(ks) ?? {}) };
  if (ks.targetNamespace !== undefined) spec.targetNamespace = ks.targetNamespace;
  return spec;
}
