// ResourceQuota evaluation: what the namespace's workloads need against each hard value, with
// the arithmetic spelled out so a finding can show it.
import { formatApproximately, formatQuantity } from './quantity-format';
import { add, compare, multiply, quantityOfUnits, ZERO, type Quantity } from './quantity';
import { podMatchesScopes, readScopes, type ScopeRequirement } from './quota-scopes';
import { countOf } from './replicas';
import { isMap, readResourceList } from './resource-list';
import type { BudgetProblem, ClaimBudget, ContainerBudget, WorkloadBudget } from './types';

export interface ResourceQuotaSpec {
  name: string;
  hard: Map<string, Quantity>;
  scopes: ScopeRequirement[];
  problems: BudgetProblem[];
}

/** One workload's part of a resource's usage: replicas × perPod. */
export interface Contribution {
  workload: string;
  kind: string;
  /** Replicas counted (the assumed count when unknown), without surge. */
  replicas: number;
  replicasKnown: boolean;
  /** Extra pods counted for a rolling update (only with `includeSurge`). */
  surge: number;
  perPod: Quantity;
  total: Quantity;
}

export interface ResourceUsage {
  resource: string;
  hard: Quantity;
  used: Quantity;
  exceeded: boolean;
  contributions: Contribution[];
  /** e.g. `requests.cpu 3 needed (6 × 500m web) > hard 2`. */
  explanation: string;
}

export interface QuotaUsage {
  resources: ResourceUsage[];
  /** Hard names this evaluation cannot count from workloads (services, secrets, ...). */
  notEvaluated: string[];
  /** Workloads the quota's scopes leave out. */
  outOfScope: string[];
}

export interface UsageOptions {
  /** Standalone PersistentVolumeClaims of the namespace. */
  claims?: readonly ClaimBudget[];
  /** Count Deployment surge pods too: the quota must admit them for a rolling update to finish. */
  includeSurge?: boolean;
}

/** Object-count names for the workload kinds, as `count/<resource>.<group>`. */
const OBJECT_COUNT_NAMES: Readonly<Record<string, string[]>> = {
  Deployment: ['count/deployments.apps'],
  StatefulSet: ['count/statefulsets.apps'],
  DaemonSet: ['count/daemonsets.apps'],
  ReplicaSet: ['count/replicasets.apps'],
  ReplicationController: ['count/replicationcontrollers', 'replicationcontrollers'],
  Job: ['count/jobs.batch'],
  CronJob: ['count/cronjobs.batch'],
};
const STORAGE_CLASS_PREFIX = '.storageclass.storage.k8s.io/';
const ONE = quantityOfUnits(1);

export function readResourceQuota(object: unknown): ResourceQuotaSpec | undefined {
  if (!isMap(object) || object.kind !== 'ResourceQuota') return undefined;
  const name = isMap(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : '';
  const spec = isMap(object.spec) ? object.spec : {};
  const problems: BudgetProblem[] = [];
  return { name, hard: readResourceList(spec.hard, ['spec', 'hard'], problems), scopes: readScopes(spec), problems };
}

export function quotaUsage(
  quota: ResourceQuotaSpec,
  workloads: readonly WorkloadBudget[],
  options: UsageOptions = {},
): QuotaUsage {
  const inScope = workloads.filter((w) => podMatchesScopes(quota.scopes, w.scope));
  const outOfScope = workloads.filter((w) => !inScope.includes(w)).map((w) => w.name);
  // Object counts and claims are counted by evaluators that no pod scope selects.
  const unscoped = quota.scopes.length === 0;
  const resources: ResourceUsage[] = [];
  const notEvaluated: string[] = [];
  for (const [resource, hard] of quota.hard) {
    const contributions = contributionsFor(resource, inScope, unscoped, options);
    if (!contributions) {
      notEvaluated.push(resource);
      continue;
    }
    const used = contributions.reduce((total, c) => add(total, c.total), ZERO);
    const exceeded = compare(used, hard) > 0;
    resources.push({ resource, hard, used, exceeded, contributions, explanation: explain(resource, used, hard, contributions) });
  }
  return { resources, notEvaluated, outOfScope };
}

/** The contributions to one hard name, or undefined when it is not something workloads use. */
function contributionsFor(
  resource: string,
  workloads: readonly WorkloadBudget[],
  unscoped: boolean,
  options: UsageOptions,
): Contribution[] | undefined {
  if (resource === 'pods' || resource === 'count/pods') {
    return perPodContributions(workloads, () => ONE, options);
  }
  const side = podResourceSide(resource);
  if (side) {
    return perPodContributions(workloads, (w) => (side.limits ? w.limits : w.requests).get(side.name), options);
  }
  const kinds = Object.keys(OBJECT_COUNT_NAMES).filter((k) => OBJECT_COUNT_NAMES[k]!.includes(resource));
  if (kinds.length > 0) {
    if (!unscoped) return [];
    return workloads
      .filter((w) => kinds.includes(w.kind))
      .map((w) => ({ workload: w.name, kind: w.kind, replicas: 1, replicasKnown: true, surge: 0, perPod: ONE, total: ONE }));
  }
  return claimContributions(resource, workloads, unscoped, options);
}

/** Which side and container resource a quota name counts; the pod evaluator's podComputeUsageHelper. */
function podResourceSide(resource: string): { name: string; limits: boolean } | undefined {
  if (['cpu', 'memory', 'ephemeral-storage'].includes(resource) || resource.startsWith('hugepages-')) {
    return { name: resource, limits: false };
  }
  const match = /^(requests|limits)\.(.+)$/.exec(resource);
  if (!match) return undefined;
  const name = match[2]!;
  const standard = ['cpu', 'memory', 'ephemeral-storage'].includes(name);
  if (match[1] === 'limits') return standard ? { name, limits: true } : undefined;
  // requests.<name>: the standard three, hugepages, and extended resources (a domain-qualified name).
  return standard || name.startsWith('hugepages-') || name.includes('/') ? { name, limits: false } : undefined;
}

function perPodContributions(
  workloads: readonly WorkloadBudget[],
  perPodOf: (w: WorkloadBudget) => Quantity | undefined,
  options: UsageOptions,
): Contribution[] {
  const result: Contribution[] = [];
  for (const w of workloads) {
    const perPod = perPodOf(w);
    const replicas = countOf(w.replicas);
    const surge = options.includeSurge ? w.surge : 0;
    if (!perPod || perPod.nanos === 0n || replicas + surge === 0) continue;
    result.push({
      workload: w.name,
      kind: w.kind,
      replicas,
      replicasKnown: w.replicas.known,
      surge,
      perPod,
      total: multiply(perPod, replicas + surge),
    });
  }
  return result;
}

/** persistentvolumeclaims and requests.storage, overall or per storage class. */
function claimContributions(
  resource: string,
  workloads: readonly WorkloadBudget[],
  unscoped: boolean,
  options: UsageOptions,
): Contribution[] | undefined {
  let storageClass: string | undefined;
  let measure = resource;
  const classAt = resource.indexOf(STORAGE_CLASS_PREFIX);
  if (classAt > 0) {
    storageClass = resource.slice(0, classAt);
    measure = resource.slice(classAt + STORAGE_CLASS_PREFIX.length);
  }
  const counts = measure === 'persistentvolumeclaims' || (measure === 'count/persistentvolumeclaims' && !storageClass);
  if (!counts && measure !== 'requests.storage') return undefined;
  if (!unscoped) return [];
  const inClass = (c: ClaimBudget) => storageClass === undefined || c.storageClassName === storageClass;
  const perClaim = (c: ClaimBudget) => (counts ? ONE : c.storage);
  const result: Contribution[] = [];
  const push = (name: string, kind: string, replicas: number, known: boolean, perPod: Quantity | undefined) => {
    if (!perPod || perPod.nanos === 0n || replicas === 0) return;
    result.push({ workload: name, kind, replicas, replicasKnown: known, surge: 0, perPod, total: multiply(perPod, replicas) });
  };
  for (const w of workloads) {
    for (const c of w.claimsPerReplica.filter(inClass)) {
      push(`${c.name}-${w.name}`, w.kind, countOf(w.replicas), w.replicas.known, perClaim(c));
    }
  }
  for (const c of (options.claims ?? []).filter(inClass)) push(c.name, 'PersistentVolumeClaim', 1, true, perClaim(c));
  return result;
}

/**
 * `requests.cpu 3 needed (6 × 500m web + 1 × 250m worker) > hard 2`. Per-pod and hard values are
 * shown exactly; a total that mixes units (`36M + 128Mi`) is shown rounded up and marked `~`.
 */
export function explain(resource: string, used: Quantity, hard: Quantity, contributions: readonly Contribution[]): string {
  const exact = (q: Quantity) => formatQuantity(q, resource);
  const isCount = resource === 'pods' || resource.startsWith('count/') || resource.endsWith('persistentvolumeclaims');
  const terms = contributions.map((c) => {
    const replicas = `${c.replicas}${c.replicasKnown ? '' : '?'}`;
    const pods = c.surge > 0 ? `(${replicas} + ${c.surge} surge)` : replicas;
    return isCount ? `${pods} ${c.workload}` : `${pods} × ${exact(c.perPod)} ${c.workload}`;
  });
  const detail = terms.length > 0 ? ` (${terms.join(' + ')})` : '';
  const relation = compare(used, hard) > 0 ? '>' : '≤';
  return `${resource} ${formatApproximately(used, resource)} needed${detail} ${relation} hard ${exact(hard)}`;
}

/** A container the quota admission would refuse: the quota tracks a resource it does not set. */
export interface AdmissionGap {
  workload: string;
  container: ContainerBudget;
  /** The quota's names the container must specify, e.g. ['limits.cpu', 'memory'] (sorted). */
  missing: string[];
}

const CONSTRAINED = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

/**
 * The quota admission's old rule: when a quota tracks cpu or memory, every container (init ones
 * too) of a pod it selects must set that request or limit, else the pod is refused. Workloads
 * should have had LimitRange defaults applied first, as admission does.
 */
export function admissionGaps(quota: ResourceQuotaSpec, workloads: readonly WorkloadBudget[]): AdmissionGap[] {
  const required = CONSTRAINED.filter((name) => quota.hard.has(name));
  if (required.length === 0) return [];
  const gaps: AdmissionGap[] = [];
  for (const w of workloads) {
    if (!podMatchesScopes(quota.scopes, w.scope)) continue;
    for (const container of w.containers) {
      const missing = required.filter((name) => {
        const limits = name.startsWith('limits.');
        return !(limits ? container.limits : container.requests).has(name.replace(/^(requests|limits)\./, ''));
      });
      if (missing.length > 0) gaps.push({ workload: w.name, container, missing: missing.sort() });
    }
  }
  return gaps;
}

/** The admission error for one workload's pods: `must specify limits.cpu for: app,init; memory for: init`. */
export function admissionRefusal(gaps: readonly AdmissionGap[]): string {
  const containersByName = new Map<string, Set<string>>();
  for (const gap of gaps) {
    for (const name of gap.missing) {
      const containers = containersByName.get(name) ?? new Set<string>();
      containers.add(gap.container.name);
      containersByName.set(name, containers);
    }
  }
  const parts = [...containersByName].map(([name, containers]) => `${name} for: ${[...containers].sort().join(',')}`);
  return `must specify ${parts.sort().join('; ')}`;
}
