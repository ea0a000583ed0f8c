// Whether a kind's objects live in a namespace: kustomize's cluster-scoped list, the built-in
// namespaced kinds, Flux's kinds, and the CRD manifests of the repository. Anything else is unknown.
import { CLUSTER_SCOPED } from './build/kustomizeDefaults';
import { apiGroup, isFluxGroup } from './crds';
import type { RepoModel } from './model';

export type KindScope = 'namespaced' | 'cluster' | 'unknown';

/** Built-in namespaced kinds by `group/kind` (any version). */
const NAMESPACED = new Set([
  ...['ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount'].map((k) => `/${k}`),
  ...['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'].map((k) => `apps/${k}`),
  'autoscaling/HorizontalPodAutoscaler', 'batch/CronJob', 'batch/Job', 'coordination.k8s.io/Lease', 'discovery.k8s.io/EndpointSlice',
  'events.k8s.io/Event', 'networking.k8s.io/Ingress', 'networking.k8s.io/NetworkPolicy', 'policy/PodDisruptionBudget',
  'rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/RoleBinding', 'resource.k8s.io/ResourceClaim',
  'resource.k8s.io/ResourceClaimTemplate', 'storage.k8s.io/CSIStorageCapacity',
]);

/** flux-operator's kinds (FluxInstance, ResourceSet, ...) are namespaced, as Flux's own are. */
const NAMESPACED_GROUPS = new Set(['fluxcd.controlplane.io']);

export function kindScope(model: RepoModel, apiVersion: string, kind: string): KindScope {
  if (CLUSTER_SCOPED.has(`${apiVersion}/${kind}`)) return 'cluster';
  const group = apiGroup(apiVersion);
  if (NAMESPACED.has(`${group}/${kind}`)) return 'namespaced';
  if (isFluxGroup(group) || NAMESPACED_GROUPS.has(group)) return 'namespaced';
  const scopes = new Set<string>();
  for (const installer of model.crdInstallers.get(group) ?? []) {
    if (installer.via !== 'crd-manifest' || installer.kind !== kind) continue;
    const scope = installer.resource.object?.spec?.scope;
    if (scope === 'Namespaced' || scope === 'Cluster') scopes.add(scope);
  }
  if (scopes.size !== 1) return 'unknown';
  return scopes.has('Namespaced') ? 'namespaced' : 'cluster';
}
