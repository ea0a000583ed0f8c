// Turning containers found in chart values into a workload budget, shared by every chart convention.
import { containerDefaults } from './limitrange';
import { containerBudget, podTotals, scopeFacts, type ContainerSource } from './pod-resources';
import { countOf } from './replicas';
import { isMap } from './resource-list';
import type { BudgetProblem, ClaimBudget, NodePath, ReplicaCount, WorkloadBudget } from './types';

export interface EstimatedWorkload extends WorkloadBudget {
  estimatedFrom: 'chart values';
}

export interface EstimateOptions {
  /** The target namespace's LimitRange objects, applied to the estimated containers. */
  limitRanges?: readonly unknown[];
}

const RESOURCE_REQUIREMENTS_KEYS = new Set(['requests', 'limits', 'claims']);

/** An autoscaled workload is budgeted at its maximum, as quota/over-budget requires. */
export function autoscaled(maxReplicas: unknown, fallback: ReplicaCount, notes: string[]): ReplicaCount {
  if (typeof maxReplicas === 'number' && Number.isSafeInteger(maxReplicas) && maxReplicas >= 0) {
    notes.push(`autoscaled: counted at maxReplicas ${maxReplicas}`);
    return { known: true, count: maxReplicas };
  }
  return { known: false, assumed: countOf(fallback), reason: 'autoscaling is enabled without a readable maxReplicas' };
}

export interface EstimateParts {
  kind: string;
  name: string;
  replicas: ReplicaCount;
  surge: number;
  containers: ContainerSource[];
  podSpec: Record<string, unknown>;
  podPath: NodePath;
  notes: string[];
  claimsPerReplica?: ClaimBudget[];
  problems?: BudgetProblem[];
  options: EstimateOptions;
}

/** Runs estimated containers through the same pod maths as real manifests. */
export function buildEstimate(parts: EstimateParts): EstimatedWorkload {
  const problems = parts.problems ?? [];
  const defaults = parts.options.limitRanges ? containerDefaults(parts.options.limitRanges) : undefined;
  const containers = parts.containers.map((source) => containerBudget(source, defaults, problems));
  const { requests, limits } = podTotals(containers, parts.podSpec, parts.podPath, problems);
  if (!parts.replicas.known) parts.notes.push(parts.replicas.reason);
  return {
    kind: parts.kind,
    name: parts.name,
    replicas: parts.replicas,
    surge: parts.surge,
    requests,
    limits,
    containers,
    scope: scopeFacts(parts.podSpec, containers),
    claimsPerReplica: parts.claimsPerReplica ?? [],
    podPath: parts.podPath,
    notes: parts.notes,
    problems,
    estimatedFrom: 'chart values',
  };
}

/** A Kubernetes ResourceRequirements map: only requests/limits/claims, and not a volume claim's storage. */
export function isResourceRequirements(value: unknown): value is Record<string, unknown> {
  if (!isMap(value)) return false;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((k) => RESOURCE_REQUIREMENTS_KEYS.has(k))) return false;
  for (const side of ['requests', 'limits']) {
    const list = value[side];
    if (list === undefined || list === null) continue;
    if (!isMap(list) || 'storage' in list) return false;
  }
  return isMap(value.requests) || isMap(value.limits);
}
