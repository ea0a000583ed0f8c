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

/** Per cluster (by name), the platform its objects say it runs on (again when the graph or a file read changes). */
export function platformsOf(model: RepoModel): Map<string, Platform> {
  return model.queries.get<Map<string, Platform>>('platforms', 'all', [model.graph], (read, previous) => {
    const result = new Map<string, Platform>();
    for (const [file, clusters] of model.graph.clustersOf) {
      for (const r of read.file(file)?.resources ?? []) {
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
    // The same Map while nothing changed in it, so what was derived from it is kept.
    const same = (a: Platform, b: Platform | undefined) => b !== undefined && a.openshift === b.openshift && a.giantswarm === b.giantswarm;
    if (previous && previous.size === result.size && [...result].every(([cluster, p]) => same(p, previous.get(cluster)))) return previous;
    return result;
  });
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
