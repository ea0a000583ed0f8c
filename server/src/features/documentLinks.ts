// Document links: a Flux Kustomization's spec.path and kustomization.yaml entries open what they name.
import type { DocumentLink } from 'vscode-languageserver';
import { isFluxKustomization } from '../model/flux';
import { findKustomizationFile } from '../model/kustomize';
import type { RepoModel } from '../model/model';
import { dirname } from '../model/paths';
import { rangeFromOffsets } from '../model/positions';
import { repoPathToUri } from '../uris';
import { scalarAt, scalarOffsets } from './cursor';
import { fluxObjectOf } from './crossReferences';

export function documentLinks(model: RepoModel, path: string): DocumentLink[] {
  const file = model.file(path);
  if (!file) return [];
  const links: DocumentLink[] = [];
  const link = (index: number, nodePath: Array<string | number>, target: string, tooltip: string, written?: string) => {
    const node = scalarAt(file.documents[index], nodePath);
    if (!node) return;
    let [start, end] = scalarOffsets(node);
    // A generator's `key=path` links only its path.
    if (written && typeof node.value === 'string' && node.value !== written && node.value.endsWith(written) && end - start === node.value.length) start = end - written.length;
    links.push({ range: rangeFromOffsets(file.lineStarts, start, end), target: repoPathToUri(model.root, target), tooltip });
  };
  // A folder opens as its kustomization.yaml; a folder Flux applies whole has nothing to open.
  const openable = (target: string) => (model.kindOf(target) === 'folder' ? findKustomizationFile(model, target) : model.kindOf(target) === 'file' ? target : undefined);
  for (const resource of file.resources) {
    if (!isFluxKustomization(resource)) continue;
    const ks = fluxObjectOf(model, resource);
    const target = ks && 'folder' in ks && ks.folder !== undefined ? openable(ks.folder) : undefined;
    if (target) link(resource.index, ['spec', 'path'], target, `Open ${target}`);
  }
  const dir = model.graph.kustomizeDirs.get(dirname(path));
  if (dir?.file === path && dir.resource) {
    for (const entry of dir.entries) {
      const target = entry.exists === 'file' || entry.exists === 'folder' ? openable(entry.target) : undefined;
      if (target) link(dir.resource.index, [...entry.nodePath], target, `Open ${target}`, entry.value);
    }
  }
  return links;
}
