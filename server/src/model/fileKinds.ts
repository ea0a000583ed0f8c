// What a YAML file of the workspace is, decided once: a manifest a cluster applies, a manifest no
// cluster applies, a YAML file of another tool, or a template. The file's own text gives its shape
// (here, at parse time); the model adds what only the workspace knows (a Chart.yaml above, the
// clusters and kustomizations that apply it) in `RepoModel.fileKind`.
import { isMap, isScalar, isSeq, visit, type Document } from 'yaml';
import { basename } from './paths';

export type FileKindName = 'applied' | 'unapplied' | 'non-kubernetes' | 'template';

/** What a file is, and why the model thinks so (shown by `index --json`). */
export interface FileKind {
  kind: FileKindName;
  reason: string;
}

/** What a file's own text says it is. Only `manifest` files yield Resources. */
export interface FileShape {
  kind: 'manifest' | 'non-kubernetes' | 'template';
  reason: string;
  /** For another tool's YAML, which tool (e.g. `helmfile`, `ci-workflow`, `chart-values`). */
  tool?: string;
}

/** The shape of a file from its path, text and documents (clean or not). */
export function shapeOf(path: string, text: string, documents: readonly Document.Parsed[], isKustomization: boolean): FileShape {
  const template = templateText(text, documents);
  if (template) {
    // A templated helmfile is still a helmfile: bootstrap steps read its releases.
    const tool = toolOf(path, documents);
    return tool ? { ...template, tool: tool[0] } : template;
  }
  const maps = documents.filter((d) => isMap(d.contents));
  const keysOf = (doc: Document.Parsed) => topKeys(doc.contents);
  for (const doc of maps) {
    const apiVersion = scalarValue(doc.contents, 'apiVersion');
    if (typeof apiVersion === 'string' && apiVersion.startsWith('backstage.io/')) return { kind: 'non-kubernetes', reason: 'a Backstage catalog entity (apiVersion backstage.io/…)', tool: 'backstage' };
  }
  if (isKustomization) return { kind: 'manifest', reason: 'a kustomization' };
  if (maps.some((d) => keysOf(d).has('kind'))) return { kind: 'manifest', reason: 'Kubernetes objects (apiVersion and kind)' };
  const tool = toolOf(path, documents);
  if (tool) return { kind: 'non-kubernetes', reason: tool[1], tool: tool[0] };
  if (documents.some((d) => d.errors.length > 0)) {
    // The parse failed, so the text says what it was meant to be.
    if (/^kind:[ \t]*\S/m.test(text)) return { kind: 'manifest', reason: 'Kubernetes objects (a kind: line), not valid YAML' };
    return { kind: 'non-kubernetes', reason: 'YAML without apiVersion or kind (and not valid YAML)' };
  }
  if (documents.every((d) => d.contents === null || (isScalar(d.contents) && d.contents.value === null))) return { kind: 'non-kubernetes', reason: 'no YAML content' };
  return { kind: 'non-kubernetes', reason: 'no document has a kind: data or configuration, not a Kubernetes object' };
}

/**
 * Go-template or Jinja text where YAML structure is (not inside a scalar or a comment): a Helm
 * template, an Ansible template. `{{ $labels.x }}` inside a string (a PrometheusRule's message)
 * is a value, not templating.
 */
function templateText(text: string, documents: readonly Document.Parsed[]): FileShape | undefined {
  if (!text.includes('{{') && !text.includes('{%')) return undefined;
  const scalars: [number, number][] = [];
  for (const doc of documents) {
    visit(doc, {
      Scalar(_, node) {
        if (node.range) scalars.push([node.range[0], node.range[1]]);
      },
    });
  }
  scalars.sort((a, b) => a[0] - b[0]);
  const insideScalar = (offset: number) => {
    let low = 0;
    let high = scalars.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (scalars[mid][0] <= offset) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found >= 0 && offset < scalars[found][1];
  };
  const marker = /\{\{|\{%/g;
  for (let match = marker.exec(text); match; match = marker.exec(text)) {
    const at = match.index;
    if (insideScalar(at)) continue;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (/(^|\s)#/.test(text.slice(lineStart, at))) continue;
    const line = text.slice(0, lineStart).split('\n').length;
    const what = match[0] === '{%' ? 'Jinja' : 'Go-template or Jinja';
    return { kind: 'template', reason: `${what} text \`${match[0]}\` at line ${line}, outside any YAML value` };
  }
  return undefined;
}

/** A YAML file of another tool, recognised by its keys (or a tool's file-name convention). */
function toolOf(path: string, documents: readonly Document.Parsed[]): [tool: string, reason: string] | undefined {
  const name = basename(path);
  if (/^\.gitlab-ci\.ya?ml$/.test(name)) return ['gitlab-ci', 'a GitLab CI pipeline'];
  if (/^Chart\.ya?ml$/.test(name)) return ['chart-metadata', "a Helm chart's Chart.yaml"];
  for (const doc of documents) {
    const root = doc.contents;
    if (isSeq(root)) {
      const items = root.items.filter(isMap);
      const keys = new Set(items.flatMap((item) => [...topKeys(item)]));
      if (keys.has('hosts') || keys.has('import_playbook') || keys.has('ansible.builtin.import_playbook')) return ['ansible-playbook', 'an Ansible playbook'];
      if ([...keys].some((k) => k.startsWith('ansible.') || k === 'include_tasks' || k === 'import_tasks' || k === 'block')) return ['ansible-tasks', 'Ansible tasks'];
      if (keys.has('op') && keys.has('path')) return ['json-patch', 'a JSON patch (RFC 6902)'];
      return ['list', 'a YAML list: Kubernetes objects are mappings'];
    }
    if (!isMap(root)) continue;
    const keys = topKeys(root);
    if (keys.has('jobs') && (keys.has('on') || keys.has('true'))) return ['ci-workflow', 'a CI workflow (GitHub Actions, Forgejo or Gitea)'];
    if (keys.has('stages') && keys.has('include')) return ['gitlab-ci', 'a GitLab CI pipeline'];
    if (keys.has('tasks') && keys.has('version')) return ['taskfile', 'a Taskfile'];
    if (itemsHave(valueOf(root, 'services'), ['image', 'build'])) return ['compose', 'a Docker Compose file'];
    if (keys.has('site_name')) return ['mkdocs', 'an MkDocs configuration'];
    if (itemsHave(valueOf(root, 'releases'), ['chart', 'name']) || keys.has('helmDefaults')) return ['helmfile', 'a helmfile'];
    if (itemsHave(valueOf(root, 'repos'), ['hooks'])) return ['pre-commit', 'a pre-commit configuration'];
    if (keys.has('creation_rules')) return ['sops-config', 'a SOPS configuration (.sops.yaml)'];
    if (keys.has('clusterName') && keys.has('nodes')) return ['talhelper', 'a talhelper configuration'];
    if (keys.has('machine') || (keys.has('cluster') && scalarValue(root, 'version') === 'v1alpha1')) return ['talos', 'a Talos machine configuration'];
    if (keys.has('updates') && keys.has('version')) return ['dependabot', 'a Dependabot configuration'];
    if (keys.has('extends') && (keys.has('packageRules') || keys.has('$schema'))) return ['renovate', 'a Renovate configuration'];
    if (keys.has('all') && (isMap(valueOf(root, 'all')) && ['hosts', 'children', 'vars'].some((k) => topKeys(valueOf(root, 'all')).has(k)))) return ['ansible-inventory', 'an Ansible inventory'];
    if (keys.has('apiVersion') && keys.has('name') && keys.has('version') && !keys.has('kind')) return ['chart-metadata', "a Helm chart's Chart.yaml"];
  }
  return undefined;
}

/** Whether some entry of a sequence (or some value of a mapping) is a mapping with one of `keys`. */
function itemsHave(node: unknown, keys: readonly string[]): boolean {
  const items = isSeq(node) ? node.items : isMap(node) ? node.items.map((pair) => pair.value) : [];
  return items.some((item) => keys.some((key) => topKeys(item).has(key)));
}

function topKeys(node: unknown): Set<string> {
  const keys = new Set<string>();
  if (isMap(node)) for (const pair of node.items) if (isScalar(pair.key)) keys.add(String(pair.key.value));
  return keys;
}

function valueOf(node: unknown, key: string): unknown {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => isScalar(p.key) && p.key.value === key)?.value;
}

function scalarValue(node: unknown, key: string): unknown {
  const value = valueOf(node, key);
  return isScalar(value) ? value.value : undefined;
}

/** The folder of the nearest chart above a path (a folder holding Chart.yaml), or undefined. */
export function chartFolderOf(path: string, hasFile: (path: string) => boolean): string | undefined {
  let slash = path.lastIndexOf('/');
  while (slash >= 0) {
    const folder = path.slice(0, slash);
    if (hasFile(`${folder}/Chart.yaml`) || hasFile(`${folder}/Chart.yml`)) return folder;
    slash = path.lastIndexOf('/', slash - 1);
  }
  return hasFile('Chart.yaml') || hasFile('Chart.yml') ? '' : undefined;
}

/**
 * What a chart makes of a file below it: its templates (rendered by Helm, never applied as they
 * are) and its values files. Undefined for the chart's other files (crds/ are plain manifests).
 */
export function chartShapeOf(path: string, chart: string): FileShape | undefined {
  const inside = chart === '' ? path : path.slice(chart.length + 1);
  const where = chart === '' ? 'the repository root' : chart;
  if (inside.startsWith('templates/')) return { kind: 'template', reason: `a Helm chart template (Chart.yaml in ${where})` };
  if (/^values[^/]*\.ya?ml$/.test(inside)) return { kind: 'non-kubernetes', reason: `a Helm chart's values (Chart.yaml in ${where})`, tool: 'chart-values' };
  return undefined;
}

/** A Chart.yaml's name: adding or removing one changes what the files below it are. */
export function isChartFile(path: string): boolean {
  return /^Chart\.ya?ml$/.test(basename(path));
}
