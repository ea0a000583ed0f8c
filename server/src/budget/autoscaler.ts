// HorizontalPodAutoscalers: quota/over-budget budgets a scaled workload at its maximum.
import { isMap } from './resource-list';

export interface AutoscalerTarget {
  /** The scaled workload, from spec.scaleTargetRef. */
  kind: string;
  name: string;
  maxReplicas: number;
}

/** What an HPA (autoscaling/v1 or v2) scales and up to how many replicas; undefined if unreadable. */
export function autoscalerTarget(object: unknown): AutoscalerTarget | undefined {
  if (!isMap(object) || object.kind !== 'HorizontalPodAutoscaler' || !isMap(object.spec)) return undefined;
  const { scaleTargetRef: target, maxReplicas } = object.spec;
  if (!isMap(target) || typeof target.kind !== 'string' || typeof target.name !== 'string') return undefined;
  if (typeof maxReplicas !== 'number' || !Number.isSafeInteger(maxReplicas) || maxReplicas < 0) return undefined;
  return { kind: target.kind, name: target.name, maxReplicas };
}
