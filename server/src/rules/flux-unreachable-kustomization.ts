import { commentedOutEntries, DEAD_PATH } from '../model/roots';
import { ancestors } from '../model/paths';
import type { Rule, RuleFinding } from './types';

/**
 * A Flux Kustomization that no cluster applies: nothing lists its file and it is not a cluster
 * root, so Flux never reconciles it. Said once per file, as information: it is a dead file, not a
 * cluster, and nothing in it is checked as live.
 */
export const fluxUnreachableKustomization: Rule = {
  id: 'flux/unreachable-kustomization',
  defaultSeverity: 'information',
  scope: 'structure',
  description: 'A Flux Kustomization that no cluster applies: nothing lists its file and no bootstrap points at it.',
  help:
    'A Flux Kustomization is reconciled only when a cluster applies it: its file is listed by a kustomization that a cluster builds (or lies in a folder Flux applies whole), or a bootstrap (flux-system sync, FluxInstance) points at it. Otherwise it is a dead file, often a ks.yaml whose entry in the parent kustomization was commented out: its objects are not checked as live, and it is reported once, on its first Kustomization. Folders kept as dead on purpose (.archive, old, backup) are not reported.',
  fix: '—',
  check(model) {
    const graph = model.graph;
    // Without any cluster every file is unreachable: nothing would be said that helps.
    if (graph.clusters.length === 0) return [];
    const unreachable = new Set(graph.unreachable);
    const switchedOff = commentedOutEntries(graph.kustomizeDirs, model.files);
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const ks of graph.fluxKustomizations) {
      const file = ks.resource.file;
      if (seen.has(file) || !unreachable.has(file) || DEAD_PATH.test(file)) continue;
      if (model.fileKind(file)?.kind !== 'unapplied') continue;
      seen.add(file);
      const others = graph.fluxKustomizations.filter((k) => k.resource.file === file).length - 1;
      const commented = switchedOff.has(file) || ancestors(file).some((folder) => switchedOff.has(folder));
      const why = commented
        ? 'its entry in a kustomization is commented out and nothing else lists it'
        : 'no kustomization lists it and no bootstrap points at it';
      findings.push({
        file,
        range: model.rangeOf(ks.resource, ['kind']),
        message:
          `No cluster applies Kustomization ${ks.name}${others > 0 ? ` (nor the ${others} other${others > 1 ? 's' : ''} in this file)` : ''}: ${why}, ` +
          'so Flux never reconciles it and its objects are not checked. List the file in a kustomization a cluster applies, or delete it.',
      });
    }
    return findings;
  },
};
