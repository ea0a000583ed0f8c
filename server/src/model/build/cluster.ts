// What a cluster applies, Flux Kustomization by Flux Kustomization: each one's spec as the
// controller sees it (model/flux.ts), its postBuild variables (substitute, and the substituteFrom
// ConfigMaps and Secrets found in what the cluster applies), rendered by flux.ts.
import { effectiveSpec, postBuildVariables } from '../flux';
import type { RepoModel } from '../model';
import type { Cluster, FluxKustomization } from '../types';
import { renderFluxKustomization } from './flux';
import { modelBuildInput } from './input';
import type { BuildInput, BuildResult } from './types';

export interface KustomizationRender {
  kustomization: FluxKustomization;
  /** Undefined when its folder is not known (see kustomization.unresolvedReason). */
  result?: BuildResult;
}

/** The variables of substituteFrom sources the model can read, and why others cannot be read. */
function substituteFrom(model: RepoModel, cluster: Cluster, ks: FluxKustomization, spec: any): { variables: Record<string, string>; unknown?: string } {
  const variables: Record<string, string> = {};
  const missing: string[] = [];
  const applied = new Set(cluster.kustomizations.flatMap((k) => k.appliedFiles));
  for (const ref of Array.isArray(spec?.postBuild?.substituteFrom) ? spec.postBuild.substituteFrom : []) {
    if (!ref || (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret') || typeof ref.name !== 'string') continue;
    const found = [...applied]
      .flatMap((path) => model.file(path)?.resources ?? [])
      .filter((r) => r.kind === ref.kind && r.name === ref.name && (r.namespace === undefined || r.namespace === ks.namespace));
    const file = found.length === 1 ? model.file(found[0].file) : undefined;
    if (!file || file.sopsEncrypted) {
      if (ref.optional !== true || file?.sopsEncrypted) missing.push(`${ref.kind} ${ks.namespace}/${ref.name} ${file?.sopsEncrypted ? 'is encrypted' : 'is not found in what this cluster applies'}`);
      continue;
    }
    const object = found[0].object;
    const data = ref.kind === 'Secret' ? { ...decode(object.data), ...(object.stringData ?? {}) } : (object.data ?? {});
    for (const [k, v] of Object.entries(data)) variables[k] = String(v);
  }
  return { variables, unknown: missing.length > 0 ? missing.join('; ') : undefined };
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
  for (const ks of cluster.kustomizations) {
    if (only !== undefined && `${ks.namespace}/${ks.name}` !== only) continue;
    if (ks.folder === undefined) {
      renders.push({ kustomization: ks });
      continue;
    }
    const spec = effectiveSpec(ks);
    const from = substituteFrom(model, cluster, ks, spec);
    // Inline substitute values take precedence over substituteFrom ones.
    const variables = { ...from.variables, ...postBuildVariables(ks) };
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
