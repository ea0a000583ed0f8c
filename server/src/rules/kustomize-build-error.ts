import { fluxBuild } from '../model/build';
import { sourceRange } from './build-locations';
import type { Rule, RuleFinding } from './types';

export const kustomizeBuildError: Rule = {
  id: 'kustomize/build-error',
  defaultSeverity: 'error',
  description: 'A kustomization that kustomize refuses to build, at the entry that makes it refuse.',
  fix: '—',
  help:
    'kustomize build fails, so the Flux Kustomization that applies the folder fails and applies nothing: duplicate objects, a strategic-merge patch that matches no object, a field kustomize does not know, a replacement or replicas entry that finds nothing, a folder entry without a kustomization. Missing files and YAML syntax errors are reported by kustomize/missing-resource and yaml/syntax; what cannot be seen here (remote bases, Helm charts) is not judged.',
  check(model) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const ks of model.graph.fluxKustomizations) {
      if (ks.folder === undefined || !model.graph.clustersOf.has(ks.resource.file)) continue;
      const error = fluxBuild(model, ks)?.error;
      if (!error || error.code) continue;
      const folder = ks.folder;
      const key = `${error.source.file} ${JSON.stringify(error.source.nodePath ?? [])} ${error.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const range = sourceRange(model, error.source);
      findings.push({ file: error.source.file, range, message: `kustomize build of ${folder || '.'} for Kustomization ${ks.namespace}/${ks.name} fails: ${error.message}` });
    }
    return findings;
  },
};
