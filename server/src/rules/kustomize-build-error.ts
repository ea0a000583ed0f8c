import { fluxBuild } from '../model/build';
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
      const file = model.file(error.source.file);
      const resource = file?.resources.find((r) => r.index === (error.source.index ?? 0)) ?? file?.resources[0];
      const firstLine = { start: { line: 0, character: 0 }, end: { line: 0, character: (file?.text.split('\n', 1)[0] ?? '').length } };
      let nodePath = error.source.nodePath;
      // An entry that is a map (a patch, a generator) is pointed at by its first key.
      const node = nodePath?.reduce((n: any, k) => (n && typeof n === 'object' ? n[k] : undefined), resource?.object);
      if (nodePath && node && typeof node === 'object' && !Array.isArray(node) && Object.keys(node).length > 0) nodePath = [...nodePath, Object.keys(node)[0]];
      const last = nodePath?.[nodePath.length - 1];
      const range = !resource ? firstLine : nodePath ? model.rangeOf(resource, nodePath, typeof last === 'number' ? 'value' : 'key') : resource.range;
      findings.push({ file: error.source.file, range, message: `kustomize build of ${folder || '.'} for Kustomization ${ks.namespace}/${ks.name} fails: ${error.message}` });
    }
    return findings;
  },
};
