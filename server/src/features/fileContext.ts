// Where a file stands: the clusters that apply it, its layer and component, its SOPS state.
import type { RepoModel } from '../model/model';
import { layerOfPath } from '../model/layers';
import { isWithin } from '../model/paths';
import type { FileContext } from '../protocol';

export function fileContext(model: RepoModel, path: string): FileContext {
  const clusters = [...(model.graph.clustersOf.get(path) ?? [])].sort();
  const component = model.layers.components.filter((c) => isWithin(path, c.folder)).sort((a, b) => b.folder.length - a.folder.length)[0];
  const file = model.file(path);
  const encryption = !file ? 'none' : file.sopsEncrypted ? 'encrypted' : file.resources.some((r) => r.kind === 'Secret' && r.apiVersion === 'v1') ? 'plaintext-secret' : 'none';
  return { clusters, layer: layerOfPath(model.layers.layers, path)?.name, component: component?.name, encryption };
}
