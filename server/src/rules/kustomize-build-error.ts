import { fluxBuild } from '../model/build';
import { sourceRange, sourceResource } from './build-locations';
import type { Rule, RuleFinding } from './types';

export const kustomizeBuildError: Rule = {
  id: 'kustomize/build-error',
  defaultSeverity: 'error',
  description: 'A kustomization that kustomize refuses to build, at the entry that makes it refuse; a field of the folder a Flux Kustomization applies that kustomize refuses but Flux drops (a warning: it has no effect).',
  fix: '—',
  help:
    'kustomize build fails, so the Flux Kustomization that applies the folder fails and applies nothing: duplicate objects, a strategic-merge patch that matches no object, a field kustomize does not know in a nested kustomization, a replacement or replicas entry that finds nothing, a folder entry without a kustomization. Missing files and YAML syntax errors are reported by kustomize/missing-resource and yaml/syntax; what cannot be seen here (remote bases, Helm charts) is not judged. In the kustomization file of the folder a Flux Kustomization applies, kustomize-controller rewrites the file before kustomize reads it and drops the fields kustomize does not know: such a field is a warning, not an error, since Flux applies the folder without it (it has no effect, and `kustomize build` of the folder still refuses it).',
  check(model) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const ks of model.graph.fluxKustomizations) {
      if (ks.folder === undefined || !model.graph.clustersOf.has(ks.resource.file)) continue;
      const result = fluxBuild(model, ks);
      const folder = ks.folder;
      for (const ignored of result?.ignored ?? []) {
        const message = `unknown field "${ignored.field}" has no effect: kustomize-controller drops it before building ${folder || '.'} for Kustomization ${ks.namespace}/${ks.name}, and kustomize build of the folder refuses it (invalid Kustomization: json: unknown field "${ignored.field}")`;
        const key = `${ignored.source.file} ${JSON.stringify(ignored.source.nodePath ?? [])} ${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // At the key itself, whatever its value holds.
        const resource = sourceResource(model, ignored.source);
        const range = resource ? model.rangeOf(resource, [ignored.field], 'key') : sourceRange(model, ignored.source);
        findings.push({ file: ignored.source.file, range, severity: 'warning', message });
      }
      const error = result?.error;
      if (!error || error.code) continue;
      const key = `${error.source.file} ${JSON.stringify(error.source.nodePath ?? [])} ${error.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const range = sourceRange(model, error.source);
      findings.push({ file: error.source.file, range, message: `kustomize build of ${folder || '.'} for Kustomization ${ks.namespace}/${ks.name} fails: ${error.message}` });
    }
    return findings;
  },
};
