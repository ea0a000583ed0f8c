// The budget of a Kubernetes workload manifest: its pod count and each pod's effective resources.
import { readClaimTemplates } from './claims';
import { containerDefaults } from './limitrange';
import { containerBudget, podTotals, scopeFacts, type ContainerSource } from './pod-resources';
import { countOf, readCount, surgeFrom } from './replicas';
import { isMap } from './resource-list';
import type { BudgetProblem, NodePath, ReplicaCount, WorkloadBudget } from './types';

export interface WorkloadOptions {
  /** The namespace's LimitRange objects, applied as admission would (omit to see the manifest alone). */
  limitRanges?: readonly unknown[];
  /** Replaces the manifest's replica count, e.g. with an HPA's maxReplicas. */
  replicas?: number;
}

/** Where each kind keeps its pod template spec. */
const POD_SPEC_PATHS: Readonly<Record<string, NodePath>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(Object.keys(POD_SPEC_PATHS));

/** Budget of a workload object (plain JS from YAML); undefined when it is not a workload kind. */
export function workloadBudget(object: unknown, options: WorkloadOptions = {}): WorkloadBudget | undefined {
  if (!isMap(object) || typeof object.kind !== 'string') return undefined;
  const podPath = POD_SPEC_PATHS[object.kind];
  if (!podPath) return undefined;
  const kind = object.kind;
  const name = isMap(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : '';
  const found = at(object, podPath);
  const podSpec = isMap(found) ? found : {};
  const problems: BudgetProblem[] = [];
  const notes: string[] = [];
  // A LimitRange's own unreadable values are reported on the LimitRange, not on each workload.
  const defaults = options.limitRanges ? containerDefaults(options.limitRanges) : undefined;
  const containers = podContainers(podSpec, podPath).map((source) => containerBudget(source, defaults, problems));
  const { requests, limits } = podTotals(containers, podSpec, podPath, problems);
  let replicas = podCount(object, kind, notes);
  if (options.replicas !== undefined) replicas = { known: true, count: options.replicas };
  if (!replicas.known) notes.push(replicas.reason);
  return {
    kind,
    name,
    replicas,
    surge: surgePods(object, kind, replicas),
    requests,
    limits,
    containers,
    scope: scopeFacts(podSpec, containers),
    claimsPerReplica: kind === 'StatefulSet' ? readClaimTemplates(at(object, ['spec', 'volumeClaimTemplates']), problems) : [],
    podPath,
    notes,
    problems,
  };
}

/** Init containers first, in order (their order decides which sidecars run beside which init step). */
export function podContainers(podSpec: Record<string, unknown>, podPath: NodePath): ContainerSource[] {
  const sources: ContainerSource[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    const list = podSpec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, index) => {
      if (!isMap(c)) return;
      const role = field === 'containers' ? 'container' : c.restartPolicy === 'Always' ? 'sidecar' : 'init';
      const name = typeof c.name === 'string' ? c.name : `${field}[${index}]`;
      sources.push({ name, role, path: [...podPath, field, index], resources: c.resources });
    });
  }
  return sources;
}

/** Pods the workload keeps running at once. */
function podCount(object: Record<string, unknown>, kind: string, notes: string[]): ReplicaCount {
  const spec = isMap(object.spec) ? object.spec : {};
  switch (kind) {
    case 'Pod':
      return { known: true, count: 1 };
    case 'DaemonSet':
      notes.push('a DaemonSet runs one pod per node and the node count is unknown: counted as 1 pod');
      return { known: true, count: 1 };
    case 'Job':
      return jobPods(spec, 'spec', notes);
    case 'CronJob': {
      if (spec.suspend === true) {
        notes.push('the CronJob is suspended: it starts no pods');
        return { known: true, count: 0 };
      }
      if (spec.concurrencyPolicy === undefined || spec.concurrencyPolicy === 'Allow') {
        notes.push('concurrencyPolicy Allow lets runs overlap: counted as one run at a time');
      }
      const jobSpec = isMap(spec.jobTemplate) && isMap(spec.jobTemplate.spec) ? spec.jobTemplate.spec : {};
      return jobPods(jobSpec, 'spec.jobTemplate.spec', notes);
    }
    default:
      return readCount(spec.replicas, 'spec.replicas');
  }
}

/** A Job runs `parallelism` pods at once, never more than its `completions`. */
function jobPods(jobSpec: Record<string, unknown>, at: string, notes: string[]): ReplicaCount {
  if (jobSpec.suspend === true) {
    notes.push('the Job is suspended: it starts no pods');
    return { known: true, count: 0 };
  }
  const parallelism = readCount(jobSpec.parallelism, `${at}.parallelism`);
  const completions = readCount(jobSpec.completions, `${at}.completions`, countOf(parallelism));
  if (!parallelism.known) return parallelism;
  if (!completions.known) return completions;
  return { known: true, count: Math.min(parallelism.count, completions.count) };
}

/** Extra pods during a rolling update: Deployment maxSurge (default 25%, rounded up). */
function surgePods(object: Record<string, unknown>, kind: string, replicas: ReplicaCount): number {
  if (kind !== 'Deployment') return 0;
  const strategy = at(object, ['spec', 'strategy']);
  if (isMap(strategy) && strategy.type === 'Recreate') return 0;
  const maxSurge = isMap(strategy) && isMap(strategy.rollingUpdate) ? strategy.rollingUpdate.maxSurge : undefined;
  return surgeFrom(maxSurge ?? '25%', countOf(replicas));
}

function at(value: unknown, path: NodePath): unknown {
  let current = value;
  for (const key of path) {
    if (!isMap(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
