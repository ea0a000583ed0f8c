// The hard values of a ResourceQuota generated for a namespace (the quota/missing quick fix).
import { ZERO, type Quantity } from './quantity';
import { quotaUsage } from './quota';
import { DEFAULT_HEADROOM_PERCENT, sizeForQuota } from './sizing';
import type { WorkloadBudget } from './types';

export interface ProposalOptions {
  headroomPercent?: number;
}

const REQUESTS = ['requests.cpu', 'requests.memory'];
const LIMITS = ['limits.cpu', 'limits.memory'];

/**
 * Hard values covering the workloads with their rollout surge, grown by the headroom and rounded
 * to sensible steps. Requests and pods are always proposed; a limit only when every container
 * already sets it, because a quota on a limit makes admission refuse any container without one.
 */
export function proposeQuotaHard(workloads: readonly WorkloadBudget[], options: ProposalOptions = {}): Map<string, Quantity> {
  const headroom = options.headroomPercent ?? DEFAULT_HEADROOM_PERCENT;
  const names = ['pods', ...REQUESTS, ...LIMITS.filter((name) => everyContainerSets(workloads, name))];
  const probe = { name: 'proposal', hard: new Map(names.map((name) => [name, ZERO])), scopes: [], problems: [] };
  const usage = quotaUsage(probe, workloads, { includeSurge: true });
  const hard = new Map<string, Quantity>();
  for (const resource of usage.resources) {
    if (resource.used.nanos > 0n) hard.set(resource.resource, sizeForQuota(resource.used, resource.resource, headroom));
  }
  return hard;
}

function everyContainerSets(workloads: readonly WorkloadBudget[], limitName: string): boolean {
  const resource = limitName.slice('limits.'.length);
  const containers = workloads.flatMap((w) => w.containers);
  return containers.length > 0 && containers.every((c) => c.limits.has(resource));
}
