// A build as kustomize prints it: objects in kustomize's legacy order, keys sorted (kustomize
// writes every object through JSON), documents separated by `---`.
import { stringify } from 'yaml';
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
      const text = stringify(o.object, { sortMapEntries: true, lineWidth: 0 });
      const c = comment?.(o);
      return c ? `# ${c}\n${text}` : text;
    })
    .join('---\n');
}
