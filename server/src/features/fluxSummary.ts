// What a Flux Kustomization applies, in the model's words: shared by hover, code lens and the tree.
import type { RepoModel } from '../model/model';
import { ancestors } from '../model/paths';
import type { Component, FluxKustomization } from '../model/types';

export interface KustomizationSummary {
  resourceCount: number;
  components: Component[];
  clusters: string[];
  /** The folder exists in this repository (false when resolved to a folder that is missing). */
  folderExists: boolean;
}

export function summarize(model: RepoModel, ks: FluxKustomization): KustomizationSummary {
  const resourceCount = ks.appliedFiles.reduce((n, f) => n + (model.file(f)?.resources.length ?? 0), 0);
  const foldersApplied = new Set(ks.appliedFiles.flatMap((f) => ancestors(f)));
  const components = model.layers.components.filter((c) => foldersApplied.has(c.folder));
  const clusters = model.graph.clusters.filter((c) => c.kustomizations.includes(ks)).map((c) => c.name);
  return { resourceCount, components, clusters, folderExists: ks.folder !== undefined && model.kindOf(ks.folder) !== 'missing' };
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
