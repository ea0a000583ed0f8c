// A build as kustomize prints it: objects in kustomize's legacy order, keys sorted (kustomize
// writes every object through JSON), documents separated by `---`.
import { Document, visit } from 'yaml';
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

/**
 * What a YAML 1.1 reader takes for something other than a string when written plain: `yes`, `on`,
 * `y`, `0755`, `1_000`, `1:20`, `2001-12-14`, `<<`... go-yaml v2 (behind `kubectl apply -f` and
 * sigs.k8s.io/yaml) is such a reader, and kustomize quotes them; the `yaml` library's 1.2 output
 * would not.
 */
const YAML11_NOT_STRING: RegExp[] = (new Document(null, { version: '1.1' }).schema as unknown as { tags: Array<{ tag: string; test?: unknown }> }).tags
  .filter((t) => t.test instanceof RegExp && t.tag !== 'tag:yaml.org,2002:str')
  .map((t) => t.test as RegExp);

/** One object as YAML that every reader reads back the same: keys sorted, no anchors, 1.1-ambiguous strings quoted. */
export function objectYaml(object: unknown): string {
  // Never an anchor: kustomize writes every object out in full.
  const doc = new Document(object, { sortMapEntries: true, aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && YAML11_NOT_STRING.some((re) => re.test(node.value as string))) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** The objects as YAML documents; `comment` may precede each (e.g. `# source: file:line`). */
export function toYaml(objects: readonly Rendered[], comment?: (o: Rendered) => string | undefined): string {
  return objects
    .map((o) => {
      const text = objectYaml(o.object);
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
