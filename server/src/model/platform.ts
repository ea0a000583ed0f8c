// The namespaces a cluster has without any manifest making them: Kubernetes' own, Flux's, and
// those its platform makes (OpenShift, Giant Swarm), decided from what the cluster applies.
import type { BuiltObject } from './applied';
import type { RepoModel } from './model';

/** Namespaces Kubernetes and Flux own: no component's policy belongs there. */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'flux-system']);

/** Namespaces every cluster has before anything is applied (flux-system: Flux's bootstrap). */
export const BUILT_IN_NAMESPACES: ReadonlySet<string> = new Set(['default', ...SYSTEM_NAMESPACES]);

export interface Platform {
  openshift: boolean;
  giantswarm: boolean;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

const platformCache = new WeakMap<object, Map<string, Platform>>();

/** Per cluster (by name), the platform its objects say it runs on (read once per graph). */
export function platformsOf(model: RepoModel): Map<string, Platform> {
  const cached = platformCache.get(model.graph);
  if (cached) return cached;
  const result = new Map<string, Platform>();
  for (const [file, clusters] of model.graph.clustersOf) {
    for (const r of model.file(file)?.resources ?? []) {
      const group = groupOf(r.apiVersion);
      const openshift = group === 'openshift.io' || group.endsWith('.openshift.io');
      const giantswarm = group.endsWith('.giantswarm.io');
      if (!openshift && !giantswarm) continue;
      for (const cluster of clusters) {
        let platform = result.get(cluster);
        if (!platform) result.set(cluster, (platform = { openshift: false, giantswarm: false }));
        platform.openshift ||= openshift;
        platform.giantswarm ||= giantswarm;
      }
    }
  }
  platformCache.set(model.graph, result);
  return result;
}

/**
 * Namespaces that the cluster's platform makes, not a manifest: on OpenShift (the cluster applies
 * `*.openshift.io` objects) its own `openshift-*` namespaces and the one of each Project; on a
 * Giant Swarm management cluster (`*.giantswarm.io` objects) `giantswarm` and the `org-<name>` of
 * each Organization.
 */
export function platformNamespaces(objects: readonly BuiltObject[], platform: Platform | undefined): string[] {
  if (!platform) return [];
  const names: string[] = platform.giantswarm ? ['giantswarm'] : [];
  for (const o of objects) {
    const group = groupOf(o.apiVersion);
    if (platform.openshift && o.namespace.startsWith('openshift-')) names.push(o.namespace);
    if (group === 'project.openshift.io' && (o.kind === 'Project' || o.kind === 'ProjectRequest')) names.push(o.name);
    if (group === 'security.giantswarm.io' && o.kind === 'Organization') names.push(`org-${o.name}`);
  }
  return names;
}
