// The bjw-s app-template chart (common library 3.x–5.x): one workload per `controllers.<id>`,
// its containers and init containers keyed by name, and PVCs from `persistence`.
import { autoscaled, buildEstimate, type EstimatedWorkload, type EstimateOptions } from './estimate';
import type { ContainerSource } from './pod-resources';
import { countOf, readCount, surgeFrom } from './replicas';
import { isMap, readQuantity } from './resource-list';
import type { BudgetProblem, ClaimBudget, NodePath, ReplicaCount } from './types';

const CONTROLLER_KINDS: Readonly<Record<string, string>> = {
  deployment: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  cronjob: 'CronJob',
  job: 'Job',
};

/** Values shaped like app-template's: `controllers` whose entries hold containers or a type. */
export function isAppTemplateValues(values: Record<string, unknown>): boolean {
  const controllers = values.controllers;
  return (
    isMap(controllers) &&
    Object.values(controllers).some(
      (c) => isMap(c) && (isMap(c.containers) || isMap(c.initContainers) || typeof c.type === 'string'),
    )
  );
}

export function estimateAppTemplateWorkloads(
  values: Record<string, unknown>,
  releaseName: string,
  options: EstimateOptions,
): EstimatedWorkload[] {
  const controllers = isMap(values.controllers) ? values.controllers : {};
  const ids = Object.keys(controllers).filter((id) => isMap(controllers[id]) && controllers[id].enabled !== false);
  const defaultPod = isMap(values.defaultPodOptions) ? values.defaultPodOptions : {};
  return ids.map((id) => {
    const controller = controllers[id] as Record<string, unknown>;
    const path: NodePath = ['spec', 'values', 'controllers', id];
    const notes: string[] = [];
    const problems: BudgetProblem[] = [];
    const type = typeof controller.type === 'string' ? controller.type : 'deployment';
    const kind = CONTROLLER_KINDS[type] ?? 'Deployment';
    if (!CONTROLLER_KINDS[type]) notes.push(`controller type "${type}" is unknown: counted as a Deployment`);
    const replicas = controllerReplicas(controller, kind, `controllers.${id}`, notes);
    const name = controllerName(values, controller, id, releaseName, ids.length);
    return buildEstimate({
      kind,
      name,
      replicas,
      surge: kind === 'Deployment' ? deploymentSurge(controller, replicas) : 0,
      containers: controllerContainers(controller, path),
      podSpec: { ...defaultPod, ...(isMap(controller.pod) ? controller.pod : {}) },
      podPath: [...path, 'pod'],
      notes,
      problems,
      claimsPerReplica: kind === 'StatefulSet' ? claimTemplates(controller, path, problems) : [],
      options,
    });
  });
}

/**
 * The chart's naming: the full name (`global.fullnameOverride`, else the release name), suffixed
 * with the controller's `nameOverride`, or with its id when there are several controllers.
 */
function controllerName(
  values: Record<string, unknown>,
  controller: Record<string, unknown>,
  id: string,
  releaseName: string,
  controllerCount: number,
): string {
  const global = isMap(values.global) ? values.global : {};
  const fullName = typeof global.fullnameOverride === 'string' && global.fullnameOverride !== '' ? global.fullnameOverride : releaseName;
  const suffix = typeof controller.nameOverride === 'string' ? controller.nameOverride : controllerCount > 1 ? id : fullName;
  return suffix === fullName ? fullName : `${fullName}-${suffix}`;
}

function controllerReplicas(controller: Record<string, unknown>, kind: string, at: string, notes: string[]): ReplicaCount {
  switch (kind) {
    case 'DaemonSet':
      notes.push('a DaemonSet runs one pod per node and the node count is unknown: counted as 1 pod');
      return { known: true, count: 1 };
    case 'CronJob':
    case 'Job': {
      const field = kind === 'CronJob' ? 'cronjob' : 'job';
      const options = isMap(controller[field]) ? (controller[field] as Record<string, unknown>) : {};
      if (options.suspend === true) {
        notes.push(`the ${kind} is suspended: it starts no pods`);
        return { known: true, count: 0 };
      }
      if (kind === 'CronJob' && options.concurrencyPolicy === 'Allow') {
        notes.push('concurrencyPolicy Allow lets runs overlap: counted as one run at a time');
      }
      const parallelism = readCount(options.parallelism, `${at}.${field}.parallelism`);
      const completions = readCount(options.completions, `${at}.${field}.completions`, countOf(parallelism));
      if (!parallelism.known) return parallelism;
      if (!completions.known) return completions;
      return { known: true, count: Math.min(parallelism.count, completions.count) };
    }
    default: {
      const replicas = readCount(controller.replicas, `${at}.replicas`);
      const hpa = controller.horizontalPodAutoscaler;
      return isMap(hpa) && hpa.enabled !== false ? autoscaled(hpa.maxReplicas, replicas, notes) : replicas;
    }
  }
}

/** app-template deployments default to the Recreate strategy, which never surges. */
function deploymentSurge(controller: Record<string, unknown>, replicas: ReplicaCount): number {
  if (controller.strategy !== 'RollingUpdate') return 0;
  const rolling = isMap(controller.rollingUpdate) ? controller.rollingUpdate : {};
  return surgeFrom(rolling.maxSurge ?? rolling.surge ?? '25%', countOf(replicas));
}

/**
 * Init containers in name order (the chart renders maps sorted by key; `dependsOn` ordering is not
 * followed), then app containers. `defaultContainerOptions.resources` fills in for containers
 * without their own (strategy overwrite) or under them (strategy merge).
 */
function controllerContainers(controller: Record<string, unknown>, path: NodePath): ContainerSource[] {
  const defaults = isMap(controller.defaultContainerOptions) ? controller.defaultContainerOptions.resources : undefined;
  const merge = controller.defaultContainerOptionsStrategy === 'merge';
  const defaultsForInit = controller.applyDefaultContainerOptionsToInitContainers !== false;
  const sources: ContainerSource[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    const map = isMap(controller[field]) ? (controller[field] as Record<string, unknown>) : {};
    const names = Object.keys(map).filter((n) => isMap(map[n]) && (map[n] as Record<string, unknown>).enabled !== false);
    if (field === 'initContainers') names.sort();
    for (const name of names) {
      const container = map[name] as Record<string, unknown>;
      const useDefaults = field === 'containers' || defaultsForInit;
      const role = field === 'containers' ? 'container' : container.restartPolicy === 'Always' ? 'sidecar' : 'init';
      sources.push({
        name,
        role,
        path: [...path, field, name],
        resources: useDefaults ? withDefaults(container.resources, defaults, merge) : container.resources,
      });
    }
  }
  return sources;
}

function withDefaults(own: unknown, defaults: unknown, merge: boolean): unknown {
  if (!isMap(defaults)) return own;
  if (!isMap(own)) return defaults;
  if (!merge) return own;
  const merged: Record<string, unknown> = { ...defaults, ...own };
  for (const side of ['requests', 'limits']) {
    if (isMap(defaults[side]) && isMap(own[side])) merged[side] = { ...defaults[side], ...own[side] };
  }
  return merged;
}

function claimTemplates(controller: Record<string, unknown>, path: NodePath, problems: BudgetProblem[]): ClaimBudget[] {
  const statefulset = isMap(controller.statefulset) ? controller.statefulset : {};
  const templates = statefulset.volumeClaimTemplates;
  if (!Array.isArray(templates)) return [];
  return templates.flatMap((t, index) =>
    isMap(t) && t.enabled !== false
      ? [sizedClaim(String(t.name ?? ''), t, [...path, 'statefulset', 'volumeClaimTemplates', index], problems)]
      : [],
  );
}

/**
 * PVCs the chart creates from `persistence.<key>`: type persistentVolumeClaim (the default type)
 * without `existingClaim`.
 */
export function estimateAppTemplateClaims(
  values: Record<string, unknown>,
  releaseName: string,
  problems: BudgetProblem[] = [],
): ClaimBudget[] {
  const persistence = isMap(values.persistence) ? values.persistence : {};
  return Object.entries(persistence).flatMap(([key, item]) => {
    if (!isMap(item) || item.enabled === false || item.existingClaim !== undefined) return [];
    if ((item.type ?? 'persistentVolumeClaim') !== 'persistentVolumeClaim') return [];
    const name = typeof item.nameOverride === 'string' ? item.nameOverride : `${releaseName}-${key}`;
    return [sizedClaim(name, item, ['spec', 'values', 'persistence', key], problems)];
  });
}

function sizedClaim(name: string, item: Record<string, unknown>, path: NodePath, problems: BudgetProblem[]): ClaimBudget {
  const claim: ClaimBudget = { name, path };
  if (typeof item.storageClass === 'string') claim.storageClassName = item.storageClass;
  if (item.size !== undefined) {
    const q = readQuantity(item.size, 'storage', [...path, 'size'], problems);
    if (q) claim.storage = q;
  }
  return claim;
}
