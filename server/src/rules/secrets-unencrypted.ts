import { clearValues } from './credentials';
import { creationRuleFor } from './sops-policy';
import type { Resource } from '../model/types';
import { fileRule, type Fix, type Rule, type RuleFinding } from './types';

export const ENCRYPT_COMMAND = 'gitopsGuardrails.sops.encrypt';

export const secretsUnencrypted: Rule = fileRule(
  {
    id: 'secrets/unencrypted',
    defaultSeverity: 'error',
    description: 'A Secret with values in clear, or a file a .sops.yaml creation rule says must be encrypted that is not.',
    help:
      'A pushed commit is public to everyone who can read the repository, forever. Values that only reference a secret kept elsewhere (op://…, ${VAR}, <path:…>, templates) are not plaintext. In a Secret filled in by Flux substitution, a value whose secret parts are placeholders (`b2:${BUCKET}:/backups`, `postgres://${USER}:${PASS}@db/app`) is not plaintext either; a credential written out beside them is. Public material (SSH public keys, PEM certificates and public keys) is no secret. The finding never quotes the value.',
    fix: 'Encrypt with SOPS.',
  },
  // One file at a time, so the engine reuses the findings of unchanged files.
  (model, one) => {
    const findings: RuleFinding[] = [];
    for (const file of [one]) {
      if (file.sopsEncrypted || model.graph.patchFiles.has(file.path)) continue;
      const encryptFix: Fix = { title: 'Encrypt with SOPS', changes: [], command: { id: ENCRYPT_COMMAND, arguments: [file.path] }, safe: false, preferred: true };
      let reported = false;
      for (const r of file.resources) {
        if (!isSecret(r)) continue;
        for (const field of ['data', 'stringData'] as const) {
          const clear = clearValues(r, field);
          if (clear.length === 0) continue;
          findings.push({
            file: file.path,
            range: model.rangeOf(r, [field, clear[0]], 'key'),
            message: `Secret ${r.name} has ${clear.length === 1 ? `a value in clear (${field}.${clear[0]})` : `${clear.length} values in clear in ${field} (${clear.slice(0, 4).join(', ')}${clear.length > 4 ? ', …' : ''})`}; encrypt the file with SOPS before pushing.`,
            fixes: [encryptFix],
          });
          reported = true;
        }
      }
      if (reported || file.resources.length === 0) continue;
      // Secrets that hold only references and placeholders leak nothing, whatever the file is called.
      if (file.resources.every(isSecret)) continue;
      // A path the creation rules single out (*.sops.yaml) must be encrypted, whatever it holds.
      const match = creationRuleFor(model, file.path);
      const pathRegex = match?.rule?.pathRegex;
      if (!pathRegex || /^\^?\.\*\$?$/.test(pathRegex)) continue;
      if (!/sops|enc|secret/i.test(pathRegex)) continue;
      findings.push({
        file: file.path,
        range: model.rangeOf(file.resources[0], ['kind']),
        message: `${file.path} matches the creation rule path_regex ${pathRegex} of ${match!.config} but is not encrypted.`,
        fixes: [encryptFix],
      });
    }
    return findings;
  },
);

function isSecret(r: Resource): boolean {
  return r.kind === 'Secret' && r.apiVersion === 'v1';
}
