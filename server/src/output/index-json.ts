// `gitops-guardrails index --json`: the model as other tools see it.
import type { RepoModel } from '../model/model';
import { rangeAtPath } from '../model/positions';

export function indexJson(model: RepoModel): object {
  const { graph } = model;
  const layers = model.layers;
  return {
    version: 1,
    clusters: graph.clusters.map((c) => ({
      name: c.name,
      folder: c.folder,
      rootFile: c.rootFile ?? null,
      rootKind: c.rootKind,
      reason: c.reason,
      evidence: c.rootFile ? { file: c.rootFile, line: evidenceLine(model, c.rootFile, c.rootNodePath) } : null,
      ...(c.variables ? { variables: c.variables } : {}),
      kustomizations: c.kustomizations.map((ks) => ({
        name: ks.name,
        namespace: ks.namespace,
        file: ks.resource.file,
        path: ks.path,
        folder: ks.folder === undefined ? 'unresolved' : ks.folder,
        ...(ks.unresolvedReason ? { unresolvedReason: ks.unresolvedReason } : {}),
        dependsOn: ks.dependsOn.map((d) => ({ name: d.name, namespace: d.namespace })),
      })),
    })),
    layerSource: layers.source,
    layerOrder: {
      source: layers.order.source,
      certain: layers.order.certain,
      reason: layers.order.reason,
      lowestFirst: [...layers.layers].sort((a, b) => a.order - b.order).map((l) => l.name),
    },
    layers: layers.layers.map((l) => ({
      name: l.name,
      order: l.order,
      folders: l.folders,
      components: l.components.map((c) => ({ name: c.name, folder: c.folder, namespaces: c.namespaces })),
    })),
    components: layers.components.map((c) => ({ name: c.name, layer: c.layer ?? null, folder: c.folder, namespaces: c.namespaces })),
    unreachableFiles: graph.unreachable,
    /** What each YAML file is (applied, unapplied, non-kubernetes, template) and why. */
    fileKinds: Object.fromEntries([...model.files.keys()].sort().map((path) => [path, model.fileKind(path)])),
  };
}

/** The 1-based line of the node that makes a cluster a root, when the file has it. */
function evidenceLine(model: RepoModel, file: string, nodePath: readonly (string | number)[] | undefined): number | null {
  const resources = model.file(file)?.resources ?? [];
  if (!nodePath || nodePath.length === 0 || nodePath[0] === 'clusters') {
    if (nodePath && nodePath[0] === 'clusters') {
      const doc = model.file(file)?.documents[0];
      const range = doc ? rangeAtPath(model.file(file)!.lineStarts, doc, nodePath, 'value') : undefined;
      return range ? range.start.line + 1 : null;
    }
    return resources[0] ? model.rangeOf(resources[0], []).start.line + 1 : null;
  }
  const resource = resources.find((r) => hasPath(r.object, nodePath)) ?? resources[0];
  return resource ? model.rangeOf(resource, nodePath).start.line + 1 : null;
}

function hasPath(object: unknown, path: readonly (string | number)[]): boolean {
  let value: any = object;
  for (const key of path) {
    if (!value || typeof value !== 'object' || !(key in value)) return false;
    value = value[key];
  }
  return true;
}
