import { closestFile } from './similar';
import { removeListEntry, replaceNode } from './edits';
import type { Fix, Rule, RuleFinding } from './types';

export const kustomizeMissingResource: Rule = {
  id: 'kustomize/missing-resource',
  defaultSeverity: 'error',
  scope: 'structure',
  description: 'A kustomization.yaml entry that points at nothing.',
  help: 'kustomize build fails on an entry whose file or folder does not exist, so Flux applies nothing of the whole Kustomization.',
  fix: 'Replace with the closest existing name, or remove the entry.',
  check(model) {
    const findings: RuleFinding[] = [];
    for (const dir of model.graph.kustomizeDirs.values()) {
      // Dead folders are listed once as unreachable, not linted as live.
      if (!dir.resource || !dir.file || !model.graph.clustersOf.has(dir.file)) continue;
      for (const entry of dir.entries) {
        if (entry.exists !== 'missing') continue;
        const suggestion = closestFile(model, entry.target);
        const fixes: Fix[] = [];
        if (suggestion) {
          const relative = suggestion.slice(suggestion.lastIndexOf('/') + 1);
          const prefix = entry.value.includes('/') ? entry.value.slice(0, entry.value.lastIndexOf('/') + 1) : '';
          fixes.push({ title: `Change to ${prefix}${relative}`, changes: [replaceNode(model, dir.resource, entry.nodePath, `${prefix}${relative}`)], safe: false, preferred: true });
        }
        const removal = removeListEntry(model, dir.resource, entry.field === 'patches' || entry.field === 'patchesJson6902' || entry.field === 'replacements' ? entry.nodePath.slice(0, 2) : entry.nodePath);
        if (removal) fixes.push({ title: `Remove ${entry.value} from ${entry.field}`, changes: [removal], safe: false });
        findings.push({
          file: dir.resource.file,
          range: model.rangeOf(dir.resource, entry.nodePath),
          message: `${entry.field} entry "${entry.value}" points at nothing: ${entry.target} does not exist${suggestion ? `; did you mean "${suggestion.slice(suggestion.lastIndexOf('/') + 1)}"?` : '.'}`,
          fixes,
        });
      }
    }
    return findings;
  },
};
