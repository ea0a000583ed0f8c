// Which pods a ResourceQuota counts: its `scopes` and `scopeSelector`, as the pod evaluator
// of kube-apiserver's quota admission matches them.
import { isMap } from './resource-list';
import type { PodScopeFacts } from './types';

export interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values: string[];
}

/** `spec.scopes` (each an Exists requirement) followed by `spec.scopeSelector.matchExpressions`. */
export function readScopes(quotaSpec: unknown): ScopeRequirement[] {
  if (!isMap(quotaSpec)) return [];
  const requirements: ScopeRequirement[] = [];
  if (Array.isArray(quotaSpec.scopes)) {
    for (const scope of quotaSpec.scopes) {
      if (typeof scope === 'string') requirements.push({ scopeName: scope, operator: 'Exists', values: [] });
    }
  }
  const selector = quotaSpec.scopeSelector;
  const expressions = isMap(selector) ? selector.matchExpressions : undefined;
  if (Array.isArray(expressions)) {
    for (const e of expressions) {
      if (!isMap(e) || typeof e.scopeName !== 'string') continue;
      const values = Array.isArray(e.values) ? e.values.filter((v): v is string => typeof v === 'string') : [];
      requirements.push({ scopeName: e.scopeName, operator: typeof e.operator === 'string' ? e.operator : '', values });
    }
  }
  return requirements;
}

/** A pod is counted only when it matches every requirement; no requirements match every pod. */
export function podMatchesScopes(requirements: readonly ScopeRequirement[], pod: PodScopeFacts): boolean {
  return requirements.every((r) => podMatchesScope(r, pod));
}

function podMatchesScope(requirement: ScopeRequirement, pod: PodScopeFacts): boolean {
  switch (requirement.scopeName) {
    case 'Terminating':
      return pod.terminating;
    case 'NotTerminating':
      return !pod.terminating;
    case 'BestEffort':
      return pod.bestEffort;
    case 'NotBestEffort':
      return !pod.bestEffort;
    case 'CrossNamespacePodAffinity':
      return pod.crossNamespacePodAffinity;
    case 'PriorityClass':
      return priorityClassMatches(requirement, pod.priorityClassName);
    default:
      // VolumeAttributesClass and unknown scopes never select pods.
      return false;
  }
}

/**
 * A label selector over {PriorityClass: name}, where a pod without a priority class has no such
 * label at all: NotIn and DoesNotExist match it, In never does.
 */
function priorityClassMatches(requirement: ScopeRequirement, priorityClassName: string): boolean {
  const labelled = priorityClassName !== '';
  switch (requirement.operator) {
    case 'Exists':
      return labelled;
    case 'DoesNotExist':
      return !labelled;
    case 'In':
      return labelled && requirement.values.includes(priorityClassName);
    case 'NotIn':
      return !labelled || !requirement.values.includes(priorityClassName);
    default:
      return false;
  }
}
