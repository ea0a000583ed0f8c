import { posix } from 'node:path';
import { findKustomizationFile } from '../model/kustomize';
import { isWithin } from '../model/paths';
import { closestFolder, deepestExistingFolder } from './similar';
import { replaceNode } from './edits';
import type { Fix, Rule, RuleFinding } from './types';

export const fluxPathNotFound: Rule = {
  id: 'flux/path-not-found',
  defaultSeverity: 'error',
  scope: 'structure',
  description: 'A Flux Kustomization whose spec.path does not exist in the repository.',
  help:
    'The kustomize-controller fails with "kustomization path not found" and applies nothing. Paths whose source is not this repository (another branch, an OCI artifact, a generated artifact) are not checked.',
  fix: 'A near miss (a typo, a renamed folder): replace the path. Otherwise create the missing folder as an overlay of its deepest existing ancestor, or point the path at that ancestor (it then applies everything the ancestor builds).',
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
      const range = model.rangeOf(ks.resource, ['spec', 'path']);
      // Paths are written from the root of the source: the repository's, or a sub-folder's that
      // is a repository of its own (ks.sourceRoot); folders outside that root cannot be named.
      const root = ks.sourceRoot ?? '';
      const written = (folder: string | undefined) => (folder === undefined || !isWithin(folder, root) ? undefined : root === '' ? folder : posix.relative(root, folder));
      const where = root === '' ? 'this repository' : `${root} (the root of its source, a repository of its own)`;
      const similar = written(closestFolder(model, ks.folder));
      if (similar !== undefined) {
        findings.push({
          file: ks.resource.file,
          range,
          message: `spec.path "${ks.path}" of Kustomization ${ks.name} does not exist in ${where}; did you mean "./${similar}"?`,
          fixes: [{ title: `Change spec.path to ./${similar}`, changes: [replaceNode(model, ks.resource, ['spec', 'path'], `./${similar}`)], safe: false, preferred: true }],
        });
        continue;
      }
      // No near miss: most often an overlay that was never created. Pointing the path at the
      // ancestor would apply all of it (every app of a base folder), so that is never preferred.
      const existing = deepestExistingFolder(model, ks.folder);
      const ancestor = written(existing);
      const fixes: Fix[] = [];
      if (existing !== undefined && ancestor !== undefined && findKustomizationFile(model, existing) !== undefined) {
        const over = posix.relative(ks.folder, existing);
        const file = `${ks.folder}/kustomization.yaml`;
        const text = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${over}\n`;
        fixes.push({ title: `Create ${file} over ${over}`, changes: [{ kind: 'create', file, text }], safe: false, preferred: true });
      }
      if (ancestor !== undefined) {
        fixes.push({ title: `Change spec.path to the whole of ./${ancestor}`, changes: [replaceNode(model, ks.resource, ['spec', 'path'], `./${ancestor}`)], safe: false });
      }
      findings.push({
        file: ks.resource.file,
        range,
        message:
          `spec.path "${ks.path}" of Kustomization ${ks.name} does not exist in ${where}` +
          (ancestor !== undefined ? `; its deepest existing folder is "./${ancestor}".` : '.'),
        ...(fixes.length > 0 ? { fixes } : {}),
      });
    }
    return findings;
  },
};
