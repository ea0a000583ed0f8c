// Shared by the two rules about custom resources and the Kustomization that installs their CRD:
// which custom resources are applied before their CRD is sure to exist, and what fixes it.
import { apiGroup, isCustomResource, type CrdInstaller } from '../model/crds';
import { effectiveSpec } from '../model/flux';
import type { RepoModel } from '../model/model';
import type { Cluster, FluxKustomization, Resource } from '../model/types';

/** What makes the order certain: a dependsOn on a Kustomization that installs the CRD, or a split. */
export type CrdRemedy =
  | { kind: 'depends-on'; on: FluxKustomization; installer: CrdInstaller }
  | { kind: 'split'; release: Resource };

export interface UnorderedCustomResource {
  cluster: Cluster;
  /** The Kustomization that applies the custom resource. */
  applier: FluxKustomization;
  resource: Resource;
  group: string;
  remedy: CrdRemedy;
}

/**
 * Custom resources whose CRD is not guaranteed to exist when they are applied: no installer is
 * bootstrapped, applied as a CRD manifest by the same Kustomization (Flux applies CRDs first),
 * applied by a Kustomization the applier waits for, or health-checked by one it waits for. Every
 * installer of the group is weighed before the remedy is chosen: a CRD manifest (a `crds`
 * Kustomization) or a chart in another Kustomization the applier can wait for means a missing
 * dependsOn; only when the installers all sit in the applier itself must the custom resources move out.
 */
export function unorderedCustomResources(model: RepoModel): UnorderedCustomResource[] {
  const installersByGroup = model.crdInstallers;
  const bootstrapped = model.bootstrapCrdGroups;
  const { appliedBy, patchFiles } = model.graph;
  const result: UnorderedCustomResource[] = [];
  const fluxByResource = new Map(model.graph.fluxKustomizations.map((ks) => [ks.resource, ks]));
  for (const cluster of model.graph.clusters) {
    const inCluster = new Set(cluster.kustomizations);
    // A Flux Kustomization that installs CRDs from another source installs them itself; the
    // Kustomizations that apply its file create it.
    const installersOf = (installer: CrdInstaller) => {
      const own = installer.via === 'flux-kustomization' ? fluxByResource.get(installer.resource) : undefined;
      return [...(own ? [own] : []), ...(appliedBy.get(installer.resource.file) ?? [])].filter((ks) => inCluster.has(ks));
    };
    const closure = dependencyClosure(model, cluster);
    for (const applier of cluster.kustomizations) {
      for (const file of applier.appliedFiles) {
        if (patchFiles.has(file)) continue;
        for (const resource of model.file(file)?.resources ?? []) {
          if (!isCustomResource(resource)) continue;
          const group = apiGroup(resource.apiVersion);
          if (bootstrapped.has(group)) continue;
          const installers = (installersByGroup.get(group) ?? [])
            .filter((i) => !i.kind || i.kind === resource.kind)
            .map((installer) => ({ installer, installedBy: installersOf(installer) }))
            .filter((i) => i.installedBy.length > 0);
          if (installers.length === 0) continue;
          const waitsFor = closure(applier);
          const ordered =
            installers.some(({ installer, installedBy }) => (installer.via === 'crd-manifest' && installedBy.includes(applier)) || installedBy.some((ks) => waitsFor.has(ks))) ||
            [...waitsFor].some((ks) => healthChecksCrdOf(ks, group));
          if (ordered) continue;
          const remedy = remedyFor(model, closure, applier, installers);
          if (remedy) result.push({ cluster, applier, resource, group, remedy });
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

/**
 * The Kustomization to depend on (CRD manifests before charts, then the first reached), or the
 * HelmRelease in the applier to split from. None when every other installer waits for the
 * applier (a cycle), is created by it (a deadlock) or creates it (its parent).
 */
function remedyFor(
  model: RepoModel,
  closure: (ks: FluxKustomization) => Set<FluxKustomization>,
  applier: FluxKustomization,
  installers: { installer: CrdInstaller; installedBy: FluxKustomization[] }[],
): CrdRemedy | undefined {
  const same = installers.find((i) => i.installer.via === 'helm-chart' && i.installedBy.includes(applier));
  const candidates = installers
    .flatMap(({ installer, installedBy }) => installedBy.map((on) => ({ installer, on })))
    // Never one that waits for the applier, that the applier creates, or that creates the applier
    // (a Kustomization depending on its own parent would wait for itself).
    .filter(({ on }) => on !== applier && !closure(on).has(applier) && !appliedBeneath(model, applier, on) && !appliedBeneath(model, on, applier))
    // Another release of the chart the applier installs itself is a second copy, not the fix.
    .filter(({ installer }) => !same || installer.via !== 'helm-chart' || installer.chart !== same.installer.chart);
  const best = candidates.find((c) => c.installer.via === 'crd-manifest') ?? candidates.find((c) => c.installer.via === 'flux-kustomization' && c.on.resource === c.installer.resource) ?? candidates[0];
  if (best) return { kind: 'depends-on', on: best.on, installer: best.installer };
  return same ? { kind: 'split', release: same.installer.resource } : undefined;
}

/** Every Kustomization a Kustomization waits for, directly or through others, within a cluster. */
export function dependencyClosure(model: RepoModel, cluster: Cluster): (ks: FluxKustomization) => Set<FluxKustomization> {
  const inCluster = new Set<unknown>(cluster.kustomizations);
  const cache = new Map<FluxKustomization, Set<FluxKustomization>>();
  return (ks) => {
    let result = cache.get(ks);
    if (result) return result;
    result = new Set();
    cache.set(ks, result);
    const stack = [ks];
    while (stack.length > 0) {
      const current = stack.pop()!;
      for (const ref of current.dependsOn) {
        for (const target of model.dependencies.targetsOf(current, ref)) {
          if (!inCluster.has(target) || result.has(target as FluxKustomization)) continue;
          result.add(target as FluxKustomization);
          stack.push(target as FluxKustomization);
        }
      }
    }
    return result;
  };
}

/** Whether `ks` is applied by `ancestor`, directly or through Kustomizations it applies. */
function appliedBeneath(model: RepoModel, ancestor: FluxKustomization, ks: FluxKustomization): boolean {
  const seen = new Set<FluxKustomization>();
  const stack = [ks];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const parent of model.graph.appliedBy.get(current.resource.file) ?? []) {
      if (parent === ancestor) return true;
      if (!seen.has(parent)) {
        seen.add(parent);
        stack.push(parent);
      }
    }
  }
  return false;
}

/** `Kind name, Kind name, Kind name and N more`: a group of custom resources in one message. */
export function describeResources(resources: readonly Resource[]): string {
  const names = [...new Set(resources.map((r) => `${r.kind} ${r.name}`))];
  return `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
}
