// A build as kustomize prints it: objects in kustomize's legacy order, keys sorted (kustomize
// writes every object through JSON), documents separated by `---`.
import { stringify } from 'yaml';
import type { RepoModel } from '../model';
import { groupVersion } from './resources';
import type { Rendered } from './types';

const FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role',
  'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange',
  'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
const LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function rank(kind: string): number {
  const first = FIRST.indexOf(kind);
  if (first >= 0) return first - FIRST.length;
  const last = LAST.indexOf(kind);
  return last >= 0 ? last + 1 : 0;
}

export function inKustomizeOrder(objects: readonly Rendered[]): Rendered[] {
  const key = (o: Rendered) => {
    const { group, version } = groupVersion(o.apiVersion);
    return `${group}_${version}_${o.kind}`;
  };
  return [...objects].sort((a, b) => rank(a.kind) - rank(b.kind) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** The objects as YAML documents; `comment` may precede each (e.g. `# source: file:line`). */
export function toYaml(objects: readonly Rendered[], comment?: (o: Rendered) => string | undefined): string {
  return objects
    .map((o) => {
      // Never an anchor: kustomize writes every object out in full.
      const text = stringify(o.object, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
      const c = comment?.(o);
      return c ? `# ${c}\n${text}` : text;
    })
    .join('---\n');
}

/** `file:line` of where an object comes from: its document, or the kustomization entry that made it. */
export function sourceLine(model: RepoModel, o: Rendered): string {
  const file = model.file(o.source.file);
  const resource = file?.resources.find((r) => r.index === (o.source.index ?? 0)) ?? file?.resources[0];
  if (!resource) return o.source.file;
  const range = o.source.nodePath ? model.rangeOf(resource, o.source.nodePath) : resource.range;
  return `${o.source.file}:${range.start.line + 1}`;
}

/**
 * What a build applies as people read it (the CLI's `render`, the editor's rendered view): objects
 * in kustomize's order, each preceded by `# source: file:line` and the Flux Kustomization when one applies it.
 */
export function renderedYaml(model: RepoModel, objects: readonly Rendered[], kustomization?: string): string {
  return toYaml(inKustomizeOrder(objects), (o) => `source: ${sourceLine(model, o)}${kustomization ? ` (Kustomization ${kustomization})` : ''}`);
}
