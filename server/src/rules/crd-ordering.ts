// Shared by the two rules about custom resources and the Kustomization that installs their CRD.
import { apiGroup, isCustomResource, type CrdInstaller } from '../model/crds';
import { effectiveSpec } from '../model/flux';
import type { RepoModel } from '../model/model';
import type { Cluster, FluxKustomization, Resource } from '../model/types';

export interface UnorderedCustomResource {
  cluster: Cluster;
  /** The Kustomization that applies the custom resource. */
  applier: FluxKustomization;
  resource: Resource;
  group: string;
  /** Installers applied in the cluster, each with the Kustomizations that apply it. */
  installers: { installer: CrdInstaller; installedBy: FluxKustomization[] }[];
}

/**
 * Custom resources whose CRD is not guaranteed to exist when they are applied: no installer is
 * bootstrapped, applied as a CRD manifest by the same Kustomization (Flux applies CRDs first),
 * applied by a Kustomization the applier waits for, or health-checked by one it waits for.
 */
export function unorderedCustomResources(model: RepoModel): UnorderedCustomResource[] {
  const installersByGroup = model.crdInstallers;
  const bootstrapped = model.bootstrapCrdGroups;
  const { appliedBy, patchFiles } = model.graph;
  const result: UnorderedCustomResource[] = [];
  for (const cluster of model.graph.clusters) {
    const inCluster = new Set(cluster.kustomizations);
    const closure = dependencyClosure(cluster);
    for (const applier of cluster.kustomizations) {
      for (const file of applier.appliedFiles) {
        if (patchFiles.has(file)) continue;
        for (const resource of model.file(file)?.resources ?? []) {
          if (!isCustomResource(resource)) continue;
          const group = apiGroup(resource.apiVersion);
          if (bootstrapped.has(group)) continue;
          const installers = (installersByGroup.get(group) ?? [])
            .filter((i) => !i.kind || i.kind === resource.kind)
            .map((installer) => ({ installer, installedBy: (appliedBy.get(installer.resource.file) ?? []).filter((ks) => inCluster.has(ks)) }))
            .filter((i) => i.installedBy.length > 0);
          if (installers.length === 0) continue;
          const waitsFor = closure(applier);
          const ordered =
            installers.some(({ installer, installedBy }) => (installer.via === 'crd-manifest' && installedBy.includes(applier)) || installedBy.some((ks) => waitsFor.has(ks))) ||
            [...waitsFor].some((ks) => healthChecksCrdOf(ks, group));
          
          if (!ordered) result.push({ cluster, applier, resource, group, installers });
        }
      }
    }
  }
  return result;
}

/** Whether a Kustomization's health checks wait for a CustomResourceDefinition of the group (`<plural>.<group>`). */
function healthChecksCrdOf(ks: FluxKustomization, group: string): boolean {
  const checks = effectiveSpec(ks).healthChecks;
  // Entries often repeat the first through a YAML merge key (`- <<: *crd`), which kustomize resolves.
  const entry = (c: any) => (c && typeof c === 'object' && c['<<'] && typeof c['<<'] === 'object' ? { ...c['<<'], ...c } : c);
  return Array.isArray(checks) && checks.map(entry).some((c: any) => c?.kind === 'CustomResourceDefinition' && typeof c.name === 'string' && c.name.endsWith(`.${group}`));
}

/** Every Kustomization a Kustomization waits for, directly or through others, within a cluster. */
export function dependencyClosure(cluster: Cluster): (ks: FluxKustomization) => Set<FluxKustomization> {
  const byKey = new Map(cluster.kustomizations.map((ks) => [`${ks.namespace}/${ks.name}`, ks]));
  const cache = new Map<FluxKustomization, Set<FluxKustomization>>();
  return (ks) => {
    let result = cache.get(ks);
    if (result) return result;
    result = new Set();
    cache.set(ks, result);
    const stack = [ks];
    while (stack.length > 0) {
      for (const ref of stack.pop()!.dependsOn) {
        const target = byKey.get(`${ref.namespace}/${ref.name}`);
        if (target && !result.has(target)) {
          result.add(target);
          stack.push(target);
        }
      }
    }
    return result;
  };
}
