// Deprecated and removed API versions of Kubernetes and Flux, and kustomize's deprecated fields.
// Kubernetes: the deprecated API migration guide. Flux: what its CRDs serve (gotk-components.yaml
// of Flux 2.3.0, 2.7.2 and 2.8.3 in the corpus: v1beta1/v2beta1 are gone in 2.7, v1beta2/v2beta2
// of sources, Kustomization and HelmRelease in 2.8).
import type { DeprecatedKustomizeField, Deprecation } from './types';

interface ApiMove {
  /** apiVersion that is deprecated or removed. */
  from: string;
  /** Kinds it concerns; undefined for every kind of that apiVersion. */
  kinds?: string[];
  to?: string;
  /** Why, e.g. `removed in Kubernetes 1.22`. */
  when: string;
  removed: boolean;
}

const K8S_APPS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'];
const FLUX_SOURCES = ['GitRepository', 'HelmRepository', 'HelmChart', 'Bucket'];

const MOVES: ApiMove[] = [
  { from: 'extensions/v1beta1', kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'], to: 'apps/v1', when: 'removed in Kubernetes 1.16', removed: true },
  { from: 'extensions/v1beta1', kinds: ['NetworkPolicy'], to: 'networking.k8s.io/v1', when: 'removed in Kubernetes 1.16', removed: true },
  { from: 'extensions/v1beta1', kinds: ['Ingress'], to: 'networking.k8s.io/v1', when: 'removed in Kubernetes 1.22', removed: true },
  { from: 'extensions/v1beta1', kinds: ['PodSecurityPolicy'], when: 'removed in Kubernetes 1.25 with no replacement (use Pod Security Admission)', removed: true },
  { from: 'apps/v1beta1', kinds: K8S_APPS, to: 'apps/v1', when: 'removed in Kubernetes 1.16', removed: true },
  { from: 'apps/v1beta2', kinds: K8S_APPS, to: 'apps/v1', when: 'removed in Kubernetes 1.16', removed: true },
  { from: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], to: 'networking.k8s.io/v1', when: 'removed in Kubernetes 1.22', removed: true },
  { from: 'networking.k8s.io/v1beta1', kinds: ['IPAddress', 'ServiceCIDR'], to: 'networking.k8s.io/v1', when: 'deprecated since Kubernetes 1.33', removed: false },
  { from: 'batch/v1beta1', kinds: ['CronJob'], to: 'batch/v1', when: 'removed in Kubernetes 1.25', removed: true },
  { from: 'batch/v2alpha1', kinds: ['CronJob'], to: 'batch/v1', when: 'removed in Kubernetes 1.21', removed: true },
  { from: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], to: 'policy/v1', when: 'removed in Kubernetes 1.25', removed: true },
  { from: 'policy/v1beta1', kinds: ['PodSecurityPolicy'], when: 'removed in Kubernetes 1.25 with no replacement (use Pod Security Admission)', removed: true },
  { from: 'autoscaling/v2beta1', kinds: ['HorizontalPodAutoscaler'], to: 'autoscaling/v2', when: 'removed in Kubernetes 1.25', removed: true },
  { from: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], to: 'autoscaling/v2', when: 'removed in Kubernetes 1.26', removed: true },
  { from: 'rbac.authorization.k8s.io/v1beta1', to: 'rbac.authorization.k8s.io/v1', when: 'removed in Kubernetes 1.22', removed: true },
  { from: 'rbac.authorization.k8s.io/v1alpha1', to: 'rbac.authorization.k8s.io/v1', when: 'removed in Kubernetes 1.22', removed: true },
  { from: 'apiextensions.k8s.io/v1beta1', kinds: ['CustomResourceDefinition'], to: 'apiextensions.k8s.io/v1', when: 'removed in Kubernetes 1.22', removed: true },
  { from: 'apiregistration.k8s.io/v1beta1', kinds: ['APIService'], to: 'apiregistration.k8s.io/v1', when: 'removed in Kubernetes 1.22', removed: true },
  { from: 'admissionregistration.k8s.io/v1beta1', kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], to: 'admissionregistration.k8s.io/v1', when: 'removed in Kubernetes 1.22', removed: true },
  { from: 'admissionregistration.k8s.io/v1beta1', kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'], to: 'admissionregistration.k8s.io/v1', when: 'deprecated since Kubernetes 1.30', removed: false },
  { from: 'scheduling.k8s.io/v1beta1', kinds: ['PriorityClass'], to: 'scheduling.k8s.io/v1', when: 'removed in Kubernetes 1.22', removed: true },
  { from: 'scheduling.k8s.io/v1alpha1', kinds: ['PriorityClass'], to: 'scheduling.k8s.io/v1', when: 'removed in Kubernetes 1.22', removed: true },
  { from: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], to: 'storage.k8s.io/v1', when: 'removed in Kubernetes 1.22', removed: true },
  { from: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], to: 'storage.k8s.io/v1', when: 'removed in Kubernetes 1.27', removed: true },
  { from: 'storage.k8s.io/v1beta1', kinds: ['VolumeAttributesClass'], to: 'storage.k8s.io/v1', when: 'deprecated since Kubernetes 1.34', removed: false },
  { from: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], to: 'coordination.k8s.io/v1', when: 'removed in Kubernetes 1.22', removed: true },
  { from: 'certificates.k8s.io/v1beta1', kinds: ['CertificateSigningRequest'], to: 'certificates.k8s.io/v1', when: 'removed in Kubernetes 1.22', removed: true },
  { from: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], to: 'discovery.k8s.io/v1', when: 'removed in Kubernetes 1.25', removed: true },
  { from: 'events.k8s.io/v1beta1', kinds: ['Event'], to: 'events.k8s.io/v1', when: 'removed in Kubernetes 1.25', removed: true },
  { from: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], to: 'node.k8s.io/v1', when: 'removed in Kubernetes 1.25', removed: true },
  { from: 'flowcontrol.apiserver.k8s.io/v1beta1', to: 'flowcontrol.apiserver.k8s.io/v1', when: 'removed in Kubernetes 1.26', removed: true },
  { from: 'flowcontrol.apiserver.k8s.io/v1beta2', to: 'flowcontrol.apiserver.k8s.io/v1', when: 'removed in Kubernetes 1.29', removed: true },
  { from: 'flowcontrol.apiserver.k8s.io/v1beta3', to: 'flowcontrol.apiserver.k8s.io/v1', when: 'removed in Kubernetes 1.32', removed: true },
  { from: 'resource.k8s.io/v1beta1', to: 'resource.k8s.io/v1', when: 'deprecated since Kubernetes 1.34', removed: false },
  { from: 'resource.k8s.io/v1beta2', to: 'resource.k8s.io/v1', when: 'deprecated since Kubernetes 1.34', removed: false },
  { from: 'v1', kinds: ['Endpoints'], when: 'deprecated since Kubernetes 1.33; use discovery.k8s.io/v1 EndpointSlice', removed: false },
  { from: 'v1', kinds: ['ComponentStatus'], when: 'deprecated since Kubernetes 1.19 with no replacement', removed: false },

  { from: 'source.toolkit.fluxcd.io/v1beta1', kinds: FLUX_SOURCES, to: 'source.toolkit.fluxcd.io/v1', when: 'not served since Flux 2.7', removed: true },
  { from: 'source.toolkit.fluxcd.io/v1beta2', kinds: FLUX_SOURCES, to: 'source.toolkit.fluxcd.io/v1', when: 'deprecated, and not served since Flux 2.8', removed: true },
  // OCIRepository had no v1 before Flux 2.6: v1beta2 was its current version until then.
  { from: 'source.toolkit.fluxcd.io/v1beta2', kinds: ['OCIRepository'], to: 'source.toolkit.fluxcd.io/v1', when: 'superseded by v1 in Flux 2.6 and not served since Flux 2.8', removed: true },
  { from: 'kustomize.toolkit.fluxcd.io/v1beta1', kinds: ['Kustomization'], to: 'kustomize.toolkit.fluxcd.io/v1', when: 'not served since Flux 2.7', removed: true },
  { from: 'kustomize.toolkit.fluxcd.io/v1beta2', kinds: ['Kustomization'], to: 'kustomize.toolkit.fluxcd.io/v1', when: 'deprecated, and not served since Flux 2.8', removed: true },
  { from: 'helm.toolkit.fluxcd.io/v2beta1', kinds: ['HelmRelease'], to: 'helm.toolkit.fluxcd.io/v2', when: 'not served since Flux 2.7', removed: true },
  { from: 'helm.toolkit.fluxcd.io/v2beta2', kinds: ['HelmRelease'], to: 'helm.toolkit.fluxcd.io/v2', when: 'deprecated, and not served since Flux 2.8', removed: true },
  { from: 'notification.toolkit.fluxcd.io/v1beta1', kinds: ['Alert', 'Provider'], to: 'notification.toolkit.fluxcd.io/v1beta3', when: 'not served since Flux 2.7', removed: true },
  { from: 'notification.toolkit.fluxcd.io/v1beta1', kinds: ['Receiver'], to: 'notification.toolkit.fluxcd.io/v1', when: 'not served since Flux 2.7', removed: true },
  { from: 'notification.toolkit.fluxcd.io/v1beta2', kinds: ['Alert', 'Provider'], to: 'notification.toolkit.fluxcd.io/v1beta3', when: 'deprecated since Flux 2.3', removed: false },
  { from: 'notification.toolkit.fluxcd.io/v1beta2', kinds: ['Receiver'], to: 'notification.toolkit.fluxcd.io/v1', when: 'deprecated since Flux 2.1', removed: false },
  { from: 'image.toolkit.fluxcd.io/v1beta1', kinds: ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'], to: 'image.toolkit.fluxcd.io/v1', when: 'deprecated since Flux 2.7', removed: false },
  { from: 'image.toolkit.fluxcd.io/v1beta2', kinds: ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'], to: 'image.toolkit.fluxcd.io/v1', when: 'deprecated since Flux 2.7', removed: false },
];

/** The built-in knowledge of a deprecated or removed apiVersion for a kind. */
export function knownDeprecation(apiVersion: string, kind: string): Deprecation | undefined {
  const move = MOVES.find((m) => m.from === apiVersion && (!m.kinds || m.kinds.includes(kind)));
  if (!move) return undefined;
  const message = move.to
    ? `${apiVersion} ${kind} is ${move.when}; use ${move.to}`
    : `${apiVersion} ${kind} is ${move.when}`;
  return { replacement: move.to, message, removed: move.removed };
}

export const DEPRECATED_KUSTOMIZE_FIELDS: readonly DeprecatedKustomizeField[] = [
  {
    field: 'patchesStrategicMerge',
    replacement: 'patches',
    rewrite: 'Move each entry to `patches`: a file name becomes `- path: <file>`, an inline patch becomes `- patch: |-` followed by the patch text.',
  },
  {
    field: 'patchesJson6902',
    replacement: 'patches',
    rewrite: 'Move each entry to `patches` unchanged: `target` stays, and `path` (or `patch`) keeps its value.',
  },
  {
    field: 'bases',
    replacement: 'resources',
    rewrite: 'Append each entry of `bases` to `resources` and delete `bases`.',
  },
  {
    field: 'commonLabels',
    replacement: 'labels',
    rewrite: 'Replace `commonLabels: {k: v}` by `labels: [{pairs: {k: v}, includeSelectors: true}]` (includeSelectors keeps the old effect on selectors; leave it out to label metadata only).',
  },
  {
    field: 'vars',
    replacement: 'replacements',
    rewrite: 'Turn each var into a replacement: its objref and fieldref become `source` (kind, name, fieldPath), and every place that uses `$(VAR)` becomes a `targets` entry with a fieldPaths selector; this needs the places, so it is not automatic.',
  },
  {
    field: 'imageTags',
    replacement: 'images',
    rewrite: 'Rename `imageTags` to `images`; the entries keep their fields.',
  },
];

/** The deprecated fields a kustomization uses, in the order of the table. */
export function deprecatedKustomizeFields(kustomization: unknown): DeprecatedKustomizeField[] {
  if (!kustomization || typeof kustomization !== 'object' || Array.isArray(kustomization)) return [];
  return DEPRECATED_KUSTOMIZE_FIELDS.filter((d) => Object.prototype.hasOwnProperty.call(kustomization, d.field));
}
