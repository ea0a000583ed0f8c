import { creationRuleFor } from './sops-policy';
import { clearValues } from './credentials';
import { fileRule, type Rule, type RuleFinding } from './types';

export const secretsNoCreationRule: Rule = fileRule(
  {
    id: 'secrets/no-creation-rule',
    defaultSeverity: 'warning',
    description: 'A Secret in a file that no .sops.yaml creation rule matches.',
    help:
      'sops refuses to encrypt a file no creation rule matches ("no matching creation rules found"), and an encrypted one cannot be re-encrypted with the repository\'s keys after an edit. A Secret that holds nothing in clear (references, `${VAR}` placeholders, public keys and certificates) needs no encryption and so no rule. Quiet where the repository has no .sops.yaml with creation_rules.',
    fix: '—',
  },
  // One file at a time, so the engine reuses the findings of unchanged files.
  (model, one) => {
    const findings: RuleFinding[] = [];
    for (const file of [one]) {
      // An encrypted Secret, or one with a value in clear (as secrets/unencrypted reads it): one
      // whose values are references, placeholders or public material needs no encryption.
      const secret = file.resources.find(
        (r) =>
          r.kind === 'Secret' &&
          r.apiVersion === 'v1' &&
          (['data', 'stringData'] as const).some((f) => (file.sopsEncrypted ? Object.keys(r.object[f] ?? {}).length > 0 : clearValues(r, f).length > 0)),
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
