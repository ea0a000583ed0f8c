import { creationRuleFor, isReference } from './sops-policy';
import { fileRule, type Rule, type RuleFinding } from './types';

export const secretsNoCreationRule: Rule = fileRule(
  {
    id: 'secrets/no-creation-rule',
    defaultSeverity: 'warning',
    description: 'A Secret in a file that no .sops.yaml creation rule matches.',
    help:
      'sops refuses to encrypt a file no creation rule matches ("no matching creation rules found"), and an encrypted one cannot be re-encrypted with the repository\'s keys after an edit. Quiet where the repository has no .sops.yaml with creation_rules.',
    fix: '—',
  },
  // One file at a time, so the engine reuses the findings of unchanged files.
  (model, one) => {
    const findings: RuleFinding[] = [];
    for (const file of [one]) {
      const secret = file.resources.find(
        (r) => r.kind === 'Secret' && r.apiVersion === 'v1' && ['data', 'stringData'].some((f) => Object.values(r.object[f] ?? {}).some((v) => file.sopsEncrypted || !isReference(v))),
      );
      if (!secret) continue;
      const match = creationRuleFor(model, file.path);
      if (!match || match.rule) continue;
      findings.push({
        file: file.path,
        range: model.rangeOf(secret, ['kind']),
        message: `No creation rule of ${match.config} matches ${file.path}: sops cannot encrypt it${file.sopsEncrypted ? ' again after an edit' : ''}. Add a path_regex that covers it, or move the file.`,
      });
    }
    return findings;
  },
);
