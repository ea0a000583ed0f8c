// `gitops-guardrails index --json`: the model as other tools see it.
import type { RepoModel } from '../model/model';

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
