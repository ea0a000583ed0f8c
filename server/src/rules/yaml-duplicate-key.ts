import { rangeFromOffsets } from '../model/positions';
import { fileRule, type Rule, type RuleFinding } from './types';

export const yamlDuplicateKey: Rule = fileRule(
  {
    id: 'yaml/duplicate-key',
    defaultSeverity: 'error',
    description: 'A key written twice in one mapping of a manifest.',
    help:
      'kustomize and the API server refuse a mapping with a key written twice ("mapping key already defined"), so the Flux Kustomization that applies the file fails; other tools keep one of the two values silently. An error where a cluster applies the file (or a kustomization lists it), a warning in a manifest no cluster applies; templates and other tools\' YAML are not checked. SOPS-encrypted files get no fix (the MAC covers every value).',
    fix: 'Remove the earlier occurrences (the last one is the value this model reads).',
  },
  // One file at a time, so the engine reuses the findings of unchanged files.
  (model, file) => {
    if (file.duplicateKeys.length === 0 || file.shape.kind !== 'manifest') return [];
    const kind = model.fileKind(file.path)?.kind;
    if (kind !== 'applied' && kind !== 'unapplied') return [];
    return file.duplicateKeys.map((duplicate): RuleFinding => {
      const first = rangeFromOffsets(file.lineStarts, duplicate.first[0], duplicate.first[1]);
      const finding: RuleFinding = {
        file: file.path,
        range: rangeFromOffsets(file.lineStarts, duplicate.second[0], duplicate.second[1]),
        message: `Key "${duplicate.key}" is already defined in this mapping at line ${first.start.line + 1}; kustomize and the API server refuse duplicate keys`,
        related: [{ file: file.path, range: first, message: `first "${duplicate.key}"` }],
      };
      if (kind === 'unapplied') finding.severity = 'warning';
      if (!file.sopsEncrypted) {
        finding.fixes = [
          {
            title: duplicate.count > 2 ? `Remove the ${duplicate.count - 1} earlier "${duplicate.key}"` : `Remove the first "${duplicate.key}"`,
            changes: [{ kind: 'edit', file: file.path, edits: duplicate.removals.map(([start, end]) => ({ range: rangeFromOffsets(file.lineStarts, start, end), newText: '' })) }],
            safe: true,
            preferred: true,
          },
        ];
      }
      return finding;
    });
  },
);
