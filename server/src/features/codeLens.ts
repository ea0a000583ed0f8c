// Code lenses: what each Flux Kustomization applies, whether each Secret is encrypted, and what
// each ResourceQuota's namespace uses of it.
import type { CodeLens } from 'vscode-languageserver';
import { KUSTOMIZATION_FILE_NAMES } from '../model/build/kustomization';
import { isFluxKustomization } from '../model/flux';
import { basename } from '../model/paths';
import type { RepoModel } from '../model/model';
import type { FluxKustomization } from '../model/types';
import { contentStart } from './cursor';
import { fluxObjectOf } from './crossReferences';
import { plural, summarize } from './fluxSummary';
import { quotaLenses } from './quota';

/** The client's command that opens the rendered view; its argument is a RenderParams (protocol.ts). */
export const SHOW_RENDERED_COMMAND = 'gitopsGuardrails.showRenderedOutput';

/** `uri` is the file's, for the `rendered ▸` lenses' command (none without it). */
export function codeLenses(model: RepoModel, path: string, uri?: string): CodeLens[] {
  const file = model.file(path);
  if (!file) return [];
  const lenses: CodeLens[] = [];
  const rendered = (start: { line: number; character: number }, cluster?: string): CodeLens => ({
    range: { start, end: start },
    command: { title: cluster ? `rendered ▸ ${cluster}` : 'rendered ▸', command: SHOW_RENDERED_COMMAND, arguments: [{ uri, position: start, ...(cluster ? { cluster } : {}) }] },
  });
  // Above a kustomization.yaml: what kustomize builds of its folder.
  if (uri && KUSTOMIZATION_FILE_NAMES.includes(basename(path)) && file.resources.length > 0) lenses.push(rendered(contentStart(file, file.documents[file.resources[0].index])));
  for (const resource of file.resources) {
    let title: string | undefined;
    const flux = isFluxKustomization(resource) ? (fluxObjectOf(model, resource) as FluxKustomization | undefined) : undefined;
    if (flux) title = kustomizationTitle(model, flux);
    else if (resource.kind === 'Secret' && resource.apiVersion === 'v1') title = file.sopsEncrypted ? 'SOPS-encrypted' : 'not encrypted';
    if (title === undefined) continue;
    const start = contentStart(file, file.documents[resource.index]);
    // An empty command id shows the title as text; the client may give it an action later.
    lenses.push({ range: { start, end: start }, command: { title, command: '' } });
    if (flux && uri) {
      // One per cluster where several apply it: each cluster's variables and patches differ.
      const clusters = model.graph.clusters.filter((c) => c.kustomizations.includes(flux)).map((c) => c.name);
      if (clusters.length > 1) for (const cluster of clusters) lenses.push(rendered(start, cluster));
      else lenses.push(rendered(start));
    }
  }
  // Above each ResourceQuota: its usage per cluster (`us-west: cpu 1.5/4 · memory 3Gi/8Gi · pods 6/20`).
  return [...lenses, ...quotaLenses(model, path)];
}

function kustomizationTitle(model: RepoModel, ks: FluxKustomization): string {
  const summary = summarize(model, ks);
  const where = summary.clusters.length > 0 ? summary.clusters.join(', ') : 'no cluster';
  if (ks.folder === undefined) return `path unresolved · ${where}`;
  if (!summary.folderExists) return `path not found · ${where}`;
  return `applies ${plural(summary.resourceCount, 'resource')} · ${plural(summary.components.length, 'component')} · ${where}`;
}
