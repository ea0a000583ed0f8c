// The budget of one workload: how many pods it runs and what each pod asks for. Both real
// manifests (pod.ts) and chart-value estimates (helm-values.ts) produce it; quota.ts consumes it.
import type { Quantity } from './quantity';

/** A path into a YAML document: map keys and sequence indexes (same shape as the model's). */
export type NodePath = ReadonlyArray<string | number>;

/** A value that could not be read as written (an unparsable quantity, a Flux substitution). */
export interface BudgetProblem {
  path: NodePath;
  message: string;
  /** The value is a `${VAR}` substitution: not wrong, only unknown until Flux builds it. */
  substituted?: boolean;
}

/** Resource name (`cpu`, `memory`, `nvidia.com/gpu`) → quantity. */
export type ResourceList = Map<string, Quantity>;

export type ReplicaCount =
  | { known: true; count: number }
  /** `assumed` is what sums use: the `${VAR:=n}` default when there is one, else 1. */
  | { known: false; assumed: number; reason: string };

export type ContainerRole = 'container' | 'init' | 'sidecar';

export interface ContainerBudget {
  name: string;
  role: ContainerRole;
  /** Where the container is within its document, e.g. ['spec','template','spec','containers',0]. */
  path: NodePath;
  /** After Kubernetes defaulting (request = limit) and LimitRange defaults when given. */
  requests: ResourceList;
  limits: ResourceList;
  /** The container as written sets no requests at all / no limits at all. */
  setsNoRequests: boolean;
  setsNoLimits: boolean;
  /** Resource names filled in by a LimitRange (`requests.cpu`, `limits.memory`). */
  defaultedFrom: string[];
}

/** What ResourceQuota scopes look at in a pod. */
export interface PodScopeFacts {
  /** spec.activeDeadlineSeconds >= 0. */
  terminating: boolean;
  /** QoS class BestEffort: no cpu/memory request or limit in any container. */
  bestEffort: boolean;
  priorityClassName: string;
  crossNamespacePodAffinity: boolean;
}

/** Storage a workload claims: a PersistentVolumeClaim, or a StatefulSet claim template per replica. */
export interface ClaimBudget {
  name: string;
  storageClassName?: string;
  storage?: Quantity;
  path: NodePath;
}

export interface WorkloadBudget {
  kind: string;
  name: string;
  replicas: ReplicaCount;
  /** Pods a rolling update may add on top of `replicas` (Deployment maxSurge); 0 when none. */
  surge: number;
  /** Effective per-pod requests and limits, as the scheduler and the quota admission count them. */
  requests: ResourceList;
  limits: ResourceList;
  containers: ContainerBudget[];
  scope: PodScopeFacts;
  /** PersistentVolumeClaims created per replica (StatefulSet volumeClaimTemplates). */
  claimsPerReplica: ClaimBudget[];
  /** Where the pod template is within its document. */
  podPath: NodePath;
  /** Sentences worth showing next to a number: assumptions such as an unknown node count. */
  notes: string[];
  /** Values left out of the sums because they could not be read. */
  problems: BudgetProblem[];
  /**
   * Set when the workload was not read from a manifest: estimated from chart values, from an
   * operator's custom resource (operators.ts), or a chart whose values show no workload, counted
   * as one pod with the namespace's LimitRange defaults.
   */
  estimatedFrom?: 'chart values' | 'operator' | 'chart default';
}
