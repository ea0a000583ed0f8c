// Workloads estimated from a HelmRelease's `spec.values`, without rendering the chart.
//
// Three conventions, tried in order: the bjw-s app-template (`controllers.<id>`, see
// app-template.ts); a chart's own top-level `resources` with `replicaCount`/`replicas`; and
// first-level components (`webhook:`, `cainjector:`) that carry their own `resources`. The values
// read are the release's, or, when the caller resolved the chart, those Helm renders with (the
// chart's values.yaml defaults under the release's). A chart whose values show no `resources`
// yields nothing: "no resources" would be a guess.
import { estimateAppTemplateClaims, estimateAppTemplateWorkloads, isAppTemplateValues } from './app-template';
import {
  autoscaled,
  buildEstimate,
  isResourceRequirements,
  type EstimatedWorkload,
  type EstimateOptions,
} from './estimate';
import type { ContainerSource } from './pod-resources';
import { readCount } from './replicas';
import { isMap } from './resource-list';
import type { ClaimBudget, NodePath } from './types';

export type { EstimatedWorkload };

export interface HelmEstimateOptions extends EstimateOptions {
  /** The values Helm renders with (the resolved chart's defaults under the release's), when known. */
  chartValues?: Record<string, unknown>;
}

const VALUES_PATH: NodePath = ['spec', 'values'];
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** Workloads a HelmRelease will run, as far as its values tell; [] when they tell nothing. */
export function estimateHelmReleaseWorkloads(helmRelease: unknown, options: HelmEstimateOptions = {}): EstimatedWorkload[] {
  const release = readRelease(helmRelease, options.chartValues);
  if (!release) return [];
  const workloads = isAppTemplateValues(release.values)
    ? estimateAppTemplateWorkloads(release.values, release.name, options)
    : [...chartWorkload(release.values, release.name, options), ...componentWorkloads(release.values, release.name, options)];
  if (release.hasValuesFrom) {
    for (const w of workloads) w.notes.push('spec.valuesFrom may override these values; they were not read');
  }
  if (options.chartValues) {
    for (const w of workloads) {
      if (w.containers.some((c) => !isResourceRequirements(valueAt(helmRelease, [...c.path, 'resources'])))) {
        w.notes.push("resources from the chart's values.yaml defaults (the HelmRelease does not set them)");
      }
    }
  }
  return workloads;
}

/** PVCs the release creates, where its values say so (app-template `persistence`); other charts are not guessed. */
export function estimateHelmReleaseClaims(helmRelease: unknown): ClaimBudget[] {
  const release = readRelease(helmRelease);
  return release && isAppTemplateValues(release.values) ? estimateAppTemplateClaims(release.values, release.name) : [];
}

interface Release {
  name: string;
  values: Record<string, unknown>;
  hasValuesFrom: boolean;
}

function valueAt(object: unknown, path: NodePath): unknown {
  let current: any = object;
  for (const step of path) current = current?.[step];
  return current;
}

function readRelease(object: unknown, chartValues?: Record<string, unknown>): Release | undefined {
  if (!isMap(object) || object.kind !== 'HelmRelease' || !isMap(object.spec)) return undefined;
  const spec = object.spec;
  const values = chartValues ?? spec.values;
  if (!isMap(values)) return undefined;
  const metadataName = isMap(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : '';
  const name = typeof spec.releaseName === 'string' && spec.releaseName !== '' ? spec.releaseName : metadataName;
  return { name, values, hasValuesFrom: Array.isArray(spec.valuesFrom) && spec.valuesFrom.length > 0 };
}

/** The chart's main workload from top-level `resources`. */
function chartWorkload(values: Record<string, unknown>, releaseName: string, options: EstimateOptions): EstimatedWorkload[] {
  if (!isResourceRequirements(values.resources)) return [];
  return [componentEstimate(values, VALUES_PATH, releaseName, options)];
}

/** `values.<component>.resources` for each enabled first-level component. */
function componentWorkloads(values: Record<string, unknown>, releaseName: string, options: EstimateOptions): EstimatedWorkload[] {
  const result: EstimatedWorkload[] = [];
  for (const [key, component] of Object.entries(values)) {
    if (!isMap(component) || component.enabled === false || !isResourceRequirements(component.resources)) continue;
    result.push(componentEstimate(component, [...VALUES_PATH, key], `${releaseName}-${key}`, options));
  }
  return result;
}

function componentEstimate(
  component: Record<string, unknown>,
  path: NodePath,
  name: string,
  options: EstimateOptions,
): EstimatedWorkload {
  const notes: string[] = [];
  const kind = componentKind(component, path, notes);
  const field = component.replicaCount !== undefined ? 'replicaCount' : 'replicas';
  let replicas = readCount(component[field], `${path.slice(2).concat(field).join('.')}`);
  const autoscaling = component.autoscaling;
  if (isMap(autoscaling) && autoscaling.enabled === true) {
    replicas = autoscaled(autoscaling.maxReplicas, replicas, notes);
  }
  if (kind === 'DaemonSet') notes.push('a DaemonSet runs one pod per node and the node count is unknown: counted as 1 pod');
  const containers: ContainerSource[] = [{ name, role: 'container', path, resources: component.resources }];
  if (kind === 'DaemonSet') replicas = { known: true, count: 1 };
  return buildEstimate({ kind, name, replicas, surge: 0, containers, podSpec: {}, podPath: path, notes, options });
}


/** A `kind:` beside the resources when the chart has one; a `...Job` key is a Job; else a guess. */
function componentKind(component: Record<string, unknown>, path: NodePath, notes: string[]): string {
  if (typeof component.kind === 'string' && WORKLOAD_KINDS.has(component.kind)) return component.kind;
  const key = path.length > 2 ? String(path[path.length - 1]) : '';
  if (/job$/i.test(key)) return 'Job';
  notes.push('the workload kind is not in the chart values: counted as a Deployment');
  return 'Deployment';
}
