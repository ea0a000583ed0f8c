import { closestFolder } from './similar';
import { replaceNode } from './edits';
import type { Rule, RuleFinding } from './types';

export const fluxPathNotFound: Rule = {
  id: 'flux/path-not-found',
  defaultSeverity: 'error',
  scope: 'structure',
  description: 'A Flux Kustomization whose spec.path does not exist in the repository.',
  help:
    'The kustomize-controller fails with "kustomization path not found" and applies nothing. Paths whose source is not this repository (another branch, an OCI artifact, a generated artifact) are not checked.',
  fix: 'Replace with the nearest existing path.',
  check(model) {
    const findings: RuleFinding[] = [];
    for (const ks of model.graph.fluxKustomizations) {
      if (ks.leavesRepository && model.graph.clustersOf.has(ks.resource.file)) {
        // Not followed (nothing outside the repository is read); a warning, since a source may resolve it differently.
        findings.push({
          file: ks.resource.file,
          range: model.rangeOf(ks.resource, ['spec', 'path']),
          severity: 'warning',
          message: `spec.path "${ks.path}" of Kustomization ${ks.name} leads outside the repository; it is not followed, so what it applies is not checked. A path is relative to the root of its source.`,
        });
        continue;
      }
      if (ks.folder === undefined || model.kindOf(ks.folder) !== 'missing') continue;
      if (!model.graph.clustersOf.has(ks.resource.file)) continue;
      const suggestion = closestFolder(model, ks.folder);
      const finding: RuleFinding = {
        file: ks.resource.file,
        range: model.rangeOf(ks.resource, ['spec', 'path']),
        message: `spec.path "${ks.path}" of Kustomization ${ks.name} does not exist in this repository${suggestion ? `; did you mean "./${suggestion}"?` : '.'}`,
      };
      if (suggestion) {
        finding.fixes = [{ title: `Change spec.path to ./${suggestion}`, changes: [replaceNode(model, ks.resource, ['spec', 'path'], `./${suggestion}`)], safe: false, preferred: true }];
      }
      findings.push(finding);
    }
    return findings;
  },
};
