// Where a rendered object's namespace comes from, read off the chain the engine recorded.
import type { FluxKustomization } from '../types';
import { identifierOf } from '../values';
import { isClusterScoped } from './resources';
import type { Rendered } from './types';

/**
 * The file whose setting gave a rendered object its namespace: the Flux Kustomization when its
 * targetNamespace did (kustomize-controller writes it into the top kustomization), else the
 * outermost kustomization.yaml whose `namespace:` did; undefined when the object keeps its own
 * (or a patch or replacement wrote it).
 */
export function namespaceSetBy(o: Rendered, ks: Pick<FluxKustomization, 'resource' | 'targetNamespace'> | undefined): string | undefined {
  let step: string | undefined;
  for (const s of o.chain) if (s.field === 'namespace') step = s.file;
  if (step === undefined) return undefined;
  const target = ks ? ks.targetNamespace ?? ks.resource.object?.spec?.targetNamespace : undefined;
  if (typeof target === 'string' && target !== '' && (o.namespace === target || o.kind === 'Namespace')) return ks!.resource.file;
  return step;
}

/**
 * Kinds without a namespace beyond kustomize's own table (custom resources kustomize does not
 * know are cluster-scoped, and sets a namespace on; the API server ignores it).
 */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass', 'PersistentVolume',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'IngressClass', 'APIService', 'CSIDriver', 'RuntimeClass', 'VolumeSnapshotClass',
  'ClusterIssuer', 'ClusterPolicy', 'CiliumClusterwideNetworkPolicy', 'ClusterSecretStore', 'ClusterExternalSecret', 'GatewayClass',
  'Node', 'CSINode', 'VolumeAttachment', 'FluxInstance', 'ClusterPolicyReport', 'ClusterTask',
]);

/** Whether objects of a kind live outside namespaces (kustomize's table, then the common custom kinds). */
export function isClusterScopedKind(apiVersion: string, kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind) || isClusterScoped(apiVersion, kind);
}

/**
 * The namespace a rendered object lands in: '' for a cluster-scoped kind, when none is set, or
 * when it is a SOPS-encrypted value (never a name).
 */
export function renderedNamespace(o: Pick<Rendered, 'apiVersion' | 'kind' | 'namespace'>): string {
  return isClusterScopedKind(o.apiVersion, o.kind) ? '' : identifierOf(o.namespace) ?? '';
}
