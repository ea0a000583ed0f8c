// A pod's effective requests and limits, computed as k8s.io/component-helpers PodRequests /
// PodLimits do: the scheduler and ResourceQuota admission both count pods this way.
import type { ContainerDefaults } from './limitrange';
import { readResourceList, addInto, maxInto, isMap } from './resource-list';
import type {
  BudgetProblem,
  ContainerBudget,
  ContainerRole,
  NodePath,
  PodScopeFacts,
  ResourceList,
} from './types';

/** A container as found in a pod spec or in chart values, before its resources are read. */
export interface ContainerSource {
  name: string;
  role: ContainerRole;
  path: NodePath;
  /** The container's `resources` value as written (may be undefined). */
  resources: unknown;
}

/** Resources that pod-level `spec.resources` may set (PodLevelResources). */
const POD_LEVEL_RESOURCES = new Set(['cpu', 'memory']);
const QOS_RESOURCES = ['cpu', 'memory'];

/** Reads one container's resources and applies API defaulting, then LimitRange defaults. */
export function containerBudget(
  source: ContainerSource,
  defaults: ContainerDefaults | undefined,
  problems: BudgetProblem[],
): ContainerBudget {
  const resources = isMap(source.resources) ? source.resources : {};
  const path = [...source.path, 'resources'];
  const requests = readResourceList(resources.requests, [...path, 'requests'], problems);
  const limits = readResourceList(resources.limits, [...path, 'limits'], problems);
  const setsNoRequests = requests.size === 0;
  const setsNoLimits = limits.size === 0;
  defaultRequestsToLimits(requests, limits);
  const defaultedFrom: string[] = [];
  if (defaults) {
    for (const [name, q] of defaults.limits) {
      if (limits.has(name)) continue;
      limits.set(name, q);
      defaultedFrom.push(`limits.${name}`);
    }
    for (const [name, q] of defaults.requests) {
      if (requests.has(name)) continue;
      requests.set(name, q);
      defaultedFrom.push(`requests.${name}`);
    }
  }
  return { name: source.name, role: source.role, path: source.path, requests, limits, setsNoRequests, setsNoLimits, defaultedFrom };
}

/** The API server's defaulting: a resource with a limit and no request requests its limit. */
function defaultRequestsToLimits(requests: ResourceList, limits: ResourceList): void {
  for (const [name, q] of limits) if (!requests.has(name)) requests.set(name, q);
}

/**
 * Per-pod totals. Requests: app containers and sidecars (init containers with restartPolicy
 * Always) add up; a plain init container runs alone beside the sidecars started before it, so
 * the pod needs the larger of the two. Pod-level `spec.resources` replaces the container sum for
 * cpu/memory, and `spec.overhead` is added (to limits only where a limit exists).
 */
export function podTotals(
  containers: readonly ContainerBudget[],
  podSpec: Record<string, unknown>,
  podPath: NodePath,
  problems: BudgetProblem[],
): { requests: ResourceList; limits: ResourceList } {
  const requests = aggregate(containers, (c) => c.requests);
  const limits = aggregate(containers, (c) => c.limits);
  const podLevel = isMap(podSpec.resources) ? podSpec.resources : undefined;
  if (podLevel) {
    const path = [...podPath, 'resources'];
    const podRequests = readResourceList(podLevel.requests, [...path, 'requests'], problems);
    const podLimits = readResourceList(podLevel.limits, [...path, 'limits'], problems);
    defaultRequestsToLimits(podRequests, podLimits);
    for (const [name, q] of podRequests) if (POD_LEVEL_RESOURCES.has(name)) requests.set(name, q);
    for (const [name, q] of podLimits) if (POD_LEVEL_RESOURCES.has(name)) limits.set(name, q);
  }
  const overhead = readResourceList(podSpec.overhead, [...podPath, 'overhead'], problems);
  addInto(requests, overhead);
  for (const [name, q] of overhead) {
    if (limits.has(name)) addInto(limits, new Map([[name, q]]));
  }
  return { requests, limits };
}

/** AggregateContainerRequests / AggregateContainerLimits for one side (requests or limits). */
function aggregate(containers: readonly ContainerBudget[], side: (c: ContainerBudget) => ResourceList): ResourceList {
  const total: ResourceList = new Map();
  for (const c of containers) if (c.role === 'container') addInto(total, side(c));
  const sidecarsSoFar: ResourceList = new Map();
  const initPeak: ResourceList = new Map();
  for (const c of containers) {
    if (c.role === 'sidecar') {
      addInto(total, side(c));
      addInto(sidecarsSoFar, side(c));
      maxInto(initPeak, sidecarsSoFar);
    } else if (c.role === 'init') {
      const whileRunning: ResourceList = new Map();
      addInto(whileRunning, side(c));
      addInto(whileRunning, sidecarsSoFar);
      maxInto(initPeak, whileRunning);
    }
  }
  maxInto(total, initPeak);
  return total;
}

/** The facts ResourceQuota scopes test, from a pod spec and its (defaulted) containers. */
export function scopeFacts(podSpec: Record<string, unknown>, containers: readonly ContainerBudget[]): PodScopeFacts {
  const deadline = podSpec.activeDeadlineSeconds;
  return {
    terminating: typeof deadline === 'number' && deadline >= 0,
    bestEffort: isBestEffort(podSpec, containers),
    priorityClassName: typeof podSpec.priorityClassName === 'string' ? podSpec.priorityClassName : '',
    crossNamespacePodAffinity: usesCrossNamespacePodAffinity(podSpec.affinity),
  };
}

/** GetPodQOS: BestEffort when no container (nor the pod) has a positive cpu/memory request or limit. */
function isBestEffort(podSpec: Record<string, unknown>, containers: readonly ContainerBudget[]): boolean {
  const positive = (list: ResourceList) => QOS_RESOURCES.some((name) => (list.get(name)?.nanos ?? 0n) > 0n);
  const podLevel = isMap(podSpec.resources) ? podSpec.resources : undefined;
  if (podLevel && (isMap(podLevel.requests) || isMap(podLevel.limits))) {
    const ignored: BudgetProblem[] = [];
    return !(positive(readResourceList(podLevel.requests, [], ignored)) || positive(readResourceList(podLevel.limits, [], ignored)));
  }
  return !containers.some((c) => positive(c.requests) || positive(c.limits));
}

function usesCrossNamespacePodAffinity(affinity: unknown): boolean {
  if (!isMap(affinity)) return false;
  const terms: unknown[] = [];
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const rules = affinity[kind];
    if (!isMap(rules)) continue;
    const required = rules.requiredDuringSchedulingIgnoredDuringExecution;
    const preferred = rules.preferredDuringSchedulingIgnoredDuringExecution;
    if (Array.isArray(required)) terms.push(...required);
    if (Array.isArray(preferred)) terms.push(...preferred.map((p) => (isMap(p) ? p.podAffinityTerm : undefined)));
  }
  return terms.some(
    (t) => isMap(t) && ((Array.isArray(t.namespaces) && t.namespaces.length > 0) || t.namespaceSelector != null),
  );
}
