import { estimateHelmReleaseWorkloads } from '../budget/helm-values';
import { workloadBudget, WORKLOAD_KINDS } from '../budget/pod';
import type { ContainerBudget } from '../budget/types';
import type { NodePath, Resource } from '../model/types';
import type { RepoModel } from '../model/model';
import type { BuiltObject } from '../model/applied';
import { groupValues, sameFindings } from '../model/namespaceBudgets';
import { onePerKey } from './once';
import { insertIntoMap } from './edits';
import type { Rule, RuleFinding } from './types';

/** What the quick fixes write for a container without resources (one place, so a setting can replace it). */
export const DEFAULT_CONTAINER_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { memory: '256Mi' },
} as const;

export function defaultResourcesBlock(): string {
  const lines: string[] = [];
  for (const side of ['requests', 'limits'] as const) {
    lines.push(`${side}:`);
    for (const [name, value] of Object.entries(DEFAULT_CONTAINER_RESOURCES[side])) lines.push(`  ${name}: ${value}`);
  }
  return lines.join('\n');
}

export const resourcesMissing: Rule = {
  id: 'resources/missing',
  defaultSeverity: 'warning',
  description: 'A container without resource requests or limits (workload manifests and app-template controllers in HelmRelease values).',
  help:
    'A container that sets neither requests nor limits is scheduled as if it used nothing, is the first to be evicted, and is refused by the admission of a ResourceQuota on cpu or memory unless a LimitRange gives defaults. Overlay and Flux patches that add resources are taken into account; a HelmRelease with `valuesFrom` is not judged.',
  fix: 'Insert a resources block (requests cpu 100m, memory 128Mi; limits memory 256Mi).',
  check(model) {
    // Each group's findings are kept while its objects are the same.
    const found = groupValues(model, 'resources/missing', [], (objects) => missingIn(model, objects), sameFindings);
    // The same container in several clusters is reported once.
    return model.queries.get('resources/missing once', found, [], () => onePerKey(found));
  },
};

function missingIn(model: RepoModel, objects: readonly BuiltObject[]): Array<{ key: string; finding: RuleFinding }> {
  const found: Array<{ key: string; finding: RuleFinding }> = [];
  for (const o of objects) {
    const manifest = WORKLOAD_KINDS.has(o.kind) && !o.resource.apiVersion.includes('fluxcd.io');
    const release = o.kind === 'HelmRelease' && o.resource.apiVersion.startsWith('helm.toolkit.fluxcd.io/');
    if (!manifest && !release) continue;
    // Values from a ConfigMap or Secret may set the resources: the release's own values do not tell.
    if (release && Array.isArray(o.object?.spec?.valuesFrom) && o.object.spec.valuesFrom.length > 0) continue;
    for (const container of containersOf(model, o.object, manifest)) {
      if (!container.setsNoRequests || !container.setsNoLimits) continue;
      const path = sourcePath(o.resource, container, manifest);
      if (!path) continue;
      found.push({ key: `${o.resource.file}#${o.resource.index}#${path.join('/')}`, finding: finding(model, o.resource, container, path, manifest) });
    }
  }
  return found;
}

/** Containers of an object, kept per object: unchanged builds hand out the same objects. */
function containersOf(model: RepoModel, object: any, manifest: boolean): ContainerBudget[] {
  if (!object || typeof object !== 'object') return [];
  return model.queries.get('resources/missing containers', object, [manifest], () =>
    manifest ? workloadBudget(object)?.containers ?? [] : estimateHelmReleaseWorkloads(object).flatMap((w) => (w.podPath[2] === 'controllers' ? w.containers : [])),
  );
}

/** The container's path in the source document: manifests by container name, app-template by key. */
function sourcePath(resource: Resource, container: ContainerBudget, manifest: boolean): NodePath | undefined {
  if (!manifest) {
    let node: any = resource.object;
    for (const step of container.path) node = node?.[step];
    return node && typeof node === 'object' ? container.path : undefined;
  }
  const field = container.path[container.path.length - 2];
  const listPath = container.path.slice(0, -1);
  let list: any = resource.object;
  for (const step of listPath) list = list?.[step];
  if (!Array.isArray(list)) return undefined;
  const index = list.findIndex((c: any) => c && c.name === container.name);
  return index >= 0 && typeof field === 'string' ? [...listPath, index] : undefined;
}

function finding(model: RepoModel, resource: Resource, container: ContainerBudget, path: NodePath, manifest: boolean): RuleFinding {
  let value: any = resource.object;
  for (const step of path) value = value?.[step];
  const hasEmptyResources = value && typeof value === 'object' && 'resources' in value;
  const range = hasEmptyResources
    ? model.rangeOf(resource, [...path, 'resources'], 'key')
    : manifest
      ? model.rangeOf(resource, [...path, 'name'])
      : model.rangeOf(resource, path, 'key');
  const role = container.role === 'container' ? 'Container' : container.role === 'init' ? 'Init container' : 'Sidecar container';
  const owner = manifest ? `${resource.kind} ${resource.name}` : `HelmRelease ${resource.name} (controller ${String(path[3])}, estimated from chart values)`;
  const change = insertIntoMap(model, resource, path, 'resources', defaultResourcesBlock());
  return {
    file: resource.file,
    range,
    message: `${role} ${container.name} of ${owner} sets no resource requests or limits: it is scheduled as if it used nothing, evicted first under pressure, and refused where a ResourceQuota tracks cpu or memory without a LimitRange default.`,
    fixes: change ? [{ title: 'Add resources (requests cpu 100m, memory 128Mi; limits memory 256Mi)', changes: [change], safe: true, preferred: true }] : undefined,
  };
}
