// Builds of the model's folders: queries of model.queries ('builds'), keyed by text (the folder, a
// Flux Kustomization's spec, the substitution variables), reused while what they read is
// unchanged. A build returns every path it read (`reads`); the query records them (`readBuild`): a
// YAML file by identity (the model makes a new one whenever its text changes), other files by a
// count of their re-reads (the model does not keep their text; see RepoModel.contentState), a
// folder by its listing. The change log
// then names the few builds an edit may have changed. Builds nothing asks for any more (a
// Kustomization whose spec.path changed) are dropped when the graph is derived again
// (newBuildGeneration), and a render with new variables replaces the old ones (a query family).
import { effectiveSpec } from '../flux';
import type { RepoModel } from '../model';
import type { QueryReads } from '../query';
import type { FluxKustomization } from '../types';
import { buildKustomization } from './engine';
import { renderFluxKustomization } from './flux';
import { modelBuildInput } from './input';
import type { BuildResult } from './types';

const BUILDS = 'builds';

/**
 * Records a build's reads as a query's: a folder listing (`a/b/`, the root's `/`) by its listing,
 * any other path by its content (a YAML file by identity, another file by its re-reads, else
 * whether it is a folder or missing).
 */
export function readBuild(read: QueryReads, reads: Iterable<string>): void {
  for (const path of reads) {
    if (path.endsWith('/')) read.listing(path.slice(0, -1));
    else read.content(path);
  }
}

function keep(model: RepoModel, key: string, build: () => BuildResult, family?: string): BuildResult {
  return model.queries.get<BuildResult>(
    BUILDS,
    key,
    [],
    (read) => {
      const result = build();
      readBuild(read, result.reads);
      return result;
    },
    family,
  );
}

/**
 * The model derives its graph anew (after a structural edit), which asks for the build of every
 * Flux Kustomization and root it has: the builds not asked for since the previous derivation are
 * referenced by nothing any more and are dropped (so an editing session does not accumulate them).
 */
export function newBuildGeneration(model: RepoModel): void {
  model.queries.sweep(BUILDS);
}

/** How many builds are kept for a model, and how many paths they read (tests). */
export function keptBuilds(model: RepoModel): { builds: number; paths: number } {
  const { values, paths } = model.queries.kept(BUILDS);
  return { builds: values, paths };
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
 * rebuilt graph). Undefined when the folder is not known. `folder` replaces its folder where a
 * cluster resolves its templated path to another one (the graph's walk of that cluster).
 */
export function fluxBuild(model: RepoModel, ks: FluxKustomization, folder: string | undefined = ks.folder): BuildResult | undefined {
  if (folder === undefined) return undefined;
  const { build: spec, buildJson } = specOf(model, ks);
  // The document is part of the key: errors and patches point into it.
  const key = `flux ${folder}\n${ks.name}\n${ks.namespace}\n${ks.resource.file}#${ks.resource.index}\n${buildJson}`;
  return keep(model, key, () =>
    renderFluxKustomization(modelBuildInput(model), { folder, source: { file: ks.resource.file, index: ks.resource.index }, name: ks.name, namespace: ks.namespace, spec, variables: {} }),
  );
}

interface SpecOf {
  /** fluxSpec, and it without postBuild (what kustomize builds), and their JSON for keys. */
  spec: any;
  json?: string;
  build: any;
  buildJson: string;
}

/** A Flux Kustomization's spec and its JSON, made again only when what it is made from changed. */
function specOf(model: RepoModel, ks: FluxKustomization): SpecOf {
  return model.queries.get<SpecOf>('flux spec', ks, [ks.resource.object?.spec, ks.inheritedSpec, ks.builtSpec, ks.targetNamespace], () => {
    const spec = fluxSpec(ks);
    const { postBuild, ...build } = spec;
    void postBuild;
    return { spec, build, buildJson: JSON.stringify(build) };
  });
}

/**
 * What a Flux Kustomization applies after post-build substitution with `variables` (see
 * cluster.ts substitutionsOf): the same as fluxBuild when it substitutes nothing.
 */
export function fluxRender(model: RepoModel, ks: FluxKustomization, variables: Record<string, string>, unknownVariables?: string): BuildResult | undefined {
  if (ks.folder === undefined) return undefined;
  const memo = specOf(model, ks);
  const spec = memo.spec;
  const substitutes = spec.postBuild && (Object.keys(variables).length > 0 || (Array.isArray(spec.postBuild.substituteFrom) && spec.postBuild.substituteFrom.length > 0));
  if (!substitutes) return fluxBuild(model, ks);
  memo.json ??= JSON.stringify(spec);
  const family = `render ${ks.folder}\n${ks.name}\n${ks.namespace}\n${ks.resource.file}#${ks.resource.index}\n${memo.json}`;
  const key = `${family}\n${JSON.stringify(variables)}\n${unknownVariables ?? ''}`;
  return keep(
    model,
    key,
    () => renderFluxKustomization(modelBuildInput(model), { folder: ks.folder!, source: { file: ks.resource.file, index: ks.resource.index }, name: ks.name, namespace: ks.namespace, spec, variables, unknownVariables }),
    family,
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
