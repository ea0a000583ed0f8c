import { appendToList } from './edits';
import { basename } from '../model/paths';
import type { Rule, RuleFinding } from './types';

export const kustomizeUnlistedManifest: Rule = {
  id: 'kustomize/unlisted-manifest',
  defaultSeverity: 'warning',
  scope: 'structure',
  description: 'A manifest in a folder with kustomization.yaml that no kustomization includes (never deployed).',
  help:
    'When a folder has a kustomization.yaml, Flux applies only what it lists. A Kubernetes manifest beside it that nothing includes is never deployed, which is usually a forgotten entry.',
  fix: 'Add it to resources.',
  check(model) {
    const findings: RuleFinding[] = [];
    const { kustomizeDirs, clustersOf } = model.graph;
    // Files named by any kustomization (as resource, patch, component or input) are in use.
    const named = new Set<string>();
    for (const dir of kustomizeDirs.values()) for (const entry of dir.entries) named.add(entry.target);
    for (const dir of kustomizeDirs.values()) {
      if (!dir.file || !dir.resource || !clustersOf.has(dir.file)) continue;
      for (const path of model.children(dir.folder).files) {
        if (path === dir.file || named.has(path) || clustersOf.has(path)) continue;
        // Patches are often kept beside the kustomization that a Flux Kustomization's spec.patches reads.
        if (/(^|[._-])patch(es)?[._-]|[._-]patch\.ya?ml$/i.test(basename(path))) continue;
        const file = model.file(path);
        if (!file || file.resources.length === 0 || file.syntaxErrors.length > 0) continue;
        if (!file.resources.every((r) => r.apiVersion && r.kind && r.name)) continue;
        const first = file.resources[0];
        const change = appendToList(model, dir.resource, ['resources'], basename(path));
        // An entry commented out by hand is a deliberate switch-off: say so, quietly.
        const disabled = new RegExp(`^\\s*#\\s*-\\s*(\\./)?${escapeRegExp(basename(path))}\\s*(#.*)?$`, 'm').test(model.file(dir.file)?.text ?? '');
        findings.push({
          file: path,
          range: model.rangeOf(first, ['kind']),
          severity: disabled ? 'information' : undefined,
          message: disabled
            ? `${first.kind} ${first.name} is switched off: its entry in ${dir.file} is commented out, so it is never deployed.`
            : `${first.kind} ${first.name} is never deployed: ${basename(path)} is not listed in ${dir.file}.`,
          related: [{ file: dir.file, range: dir.resource.range, message: 'the kustomization that decides what this folder applies' }],
          fixes: change ? [{ title: `Add ${basename(path)} to resources of ${dir.file}`, changes: [change], safe: false, preferred: true }] : undefined,
        });
      }
    }
    return findings;
  },
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
