// What a cluster applies, Flux Kustomization by Flux Kustomization: each one's spec as the
// controller sees it (model/flux.ts), its postBuild variables (substitute, and the substituteFrom
// ConfigMaps and Secrets found in what the cluster applies), rendered by flux.ts.
import { postBuildVariables } from '../flux';
import { fluxSpec } from './cache';
import type { RepoModel } from '../model';
import type { Cluster, FluxKustomization, Resource } from '../types';
import { renderFluxKustomization } from './flux';
import { modelBuildInput } from './input';
import type { BuildInput, BuildResult } from './types';

export interface KustomizationRender {
  kustomization: FluxKustomization;
  /** Undefined when its folder is not known (see kustomization.unresolvedReason). */
  result?: BuildResult;
}

export interface Substitution {
  /** substituteFrom values over which the inline `substitute` values win (a root's per-cluster ones win over both). */
  variables: Record<string, string>;
  /** Why some substituteFrom sources cannot be read (their variables' values are unknown). */
  unknown?: string;
  /** The files the variables were read from: an edit of one changes them. */
  files: string[];
}

/**
 * The postBuild variables of a cluster's Flux Kustomizations: `substitute`, over the
 * substituteFrom ConfigMaps and Secrets found in what the cluster applies (indexed once per call).
 */
export function substitutionsOf(model: RepoModel, cluster: Cluster): (ks: FluxKustomization, spec: any) => Substitution {
  let index: Map<string, Resource[]> | undefined;
  const found = (kind: string, name: string) => {
    if (!index) {
      index = new Map();
      for (const path of new Set(cluster.kustomizations.flatMap((k) => k.appliedFiles))) {
        for (const r of model.file(path)?.resources ?? []) {
          if (r.kind !== 'ConfigMap' && r.kind !== 'Secret') continue;
          const key = `${r.kind}/${r.name}`;
          const list = index.get(key);
          if (list) list.push(r);
          else index.set(key, [r]);
        }
      }
    }
    return index.get(`${kind}/${name}`) ?? [];
  };
  return (ks, spec) => {
    const variables: Record<string, string> = {};
    const missing: string[] = [];
    const files: string[] = [];
    for (const ref of Array.isArray(spec?.postBuild?.substituteFrom) ? spec.postBuild.substituteFrom : []) {
      if (!ref || (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret') || typeof ref.name !== 'string') continue;
      const candidates = found(ref.kind, ref.name).filter((r) => r.namespace === undefined || r.namespace === ks.namespace);
      const file = candidates.length === 1 ? model.file(candidates[0].file) : undefined;
      if (file) files.push(file.path);
      if (!file || file.sopsEncrypted) {
        if (ref.optional !== true || file?.sopsEncrypted) missing.push(`${ref.kind} ${ks.namespace}/${ref.name} ${file?.sopsEncrypted ? 'is encrypted' : 'is not found in what this cluster applies'}`);
        continue;
      }
      const object = candidates[0].object;
      const data = ref.kind === 'Secret' ? { ...decode(object.data), ...(object.stringData ?? {}) } : (object.data ?? {});
      for (const [k, v] of Object.entries(data)) variables[k] = String(v);
    }
    // Inline substitute values take precedence over substituteFrom ones.
    Object.assign(variables, postBuildVariables(ks));
    // A root's per-cluster variables (a templated sync path patched per cluster) win.
    if (cluster.variables && ks.folder === cluster.folder && ks.resource.file === cluster.rootFile) Object.assign(variables, cluster.variables);
    return { variables, files, ...(missing.length > 0 ? { unknown: missing.join('; ') } : {}) };
  };
}

function decode(data: unknown): Record<string, string> {
  if (!data || typeof data !== 'object') return {};
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString('utf8')]));
}

/**
 * Renders every Flux Kustomization of a cluster (or the one named `namespace/name`); `input`
 * replaces the model's files for other files' text (a tree read from git).
 */
export function renderCluster(model: RepoModel, cluster: Cluster, only?: string, input: BuildInput = modelBuildInput(model)): KustomizationRender[] {
  const renders: KustomizationRender[] = [];
  const substitutions = substitutionsOf(model, cluster);
  for (const ks of cluster.kustomizations) {
    if (only !== undefined && `${ks.namespace}/${ks.name}` !== only) continue;
    if (ks.folder === undefined) {
      renders.push({ kustomization: ks });
      continue;
    }
    const spec = fluxSpec(ks);
    const from = substitutions(ks, spec);
    const variables = from.variables;
    const result = renderFluxKustomization(input, {
      folder: ks.folder,
      source: { file: ks.resource.file, index: ks.resource.index },
      name: ks.name,
      namespace: ks.namespace,
      spec,
      variables,
      unknownVariables: from.unknown,
    });
    renders.push({ kustomization: ks, result });
  }
  return renders;
}
