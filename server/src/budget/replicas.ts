// Replica counts as written in manifests and chart values, where Flux may still substitute them.
import { wholeExpression } from '../model/build/envsubst';
import type { ReplicaCount } from './types';

/** Reads a replica-like count; absent means `absentMeans` (1 for workloads), as Kubernetes defaults it. */
export function readCount(value: unknown, field: string, absentMeans = 1): ReplicaCount {
  if (value === undefined || value === null) return { known: true, count: absentMeans };
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return { known: true, count: value };
    return { known: false, assumed: absentMeans, reason: `${field} ${value} is not a whole number of pods` };
  }
  if (typeof value === 'string') {
    const substitution = wholeExpression(value);
    if (substitution) {
      const written = substitution.argument?.replace(/^(["'])(.*)\1$/, '$2');
      const fallback = written !== undefined && /^\d+$/.test(written) ? Number(written) : undefined;
      return {
        known: false,
        assumed: fallback ?? absentMeans,
        reason:
          fallback === undefined
            ? `${field} is ${value}, set by Flux substitution; counted as ${absentMeans}`
            : `${field} is ${value}, set by Flux substitution; counted as its default ${fallback}`,
      };
    }
    const asNumber = /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
    return {
      known: false,
      assumed: asNumber ?? absentMeans,
      reason: `${field} "${value}" is a string, not a number`,
    };
  }
  return { known: false, assumed: absentMeans, reason: `${field} is not a number` };
}

/** The count sums use: known or assumed. */
export function countOf(replicas: ReplicaCount): number {
  return replicas.known ? replicas.count : replicas.assumed;
}

/** An int-or-percent surge for `replicas` pods; percentages round up, as the controller does. */
export function surgeFrom(maxSurge: unknown, replicas: number): number {
  if (typeof maxSurge === 'number' && Number.isSafeInteger(maxSurge) && maxSurge >= 0) return maxSurge;
  const percent = typeof maxSurge === 'string' ? /^(\d+)%$/.exec(maxSurge.trim()) : null;
  return percent ? Math.ceil((replicas * Number(percent[1])) / 100) : 0;
}
