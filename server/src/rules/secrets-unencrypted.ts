import { clearEnvKeys, clearLiterals, clearValues, isClearSecretValue } from './credentials';
import { creationRuleFor } from './sops-policy';
import type { RepoModel } from '../model/model';
import { isKustomizationFileName } from '../model/parse';
import { dirname, joinRepoPath } from '../model/paths';
import type { Resource, YamlFile } from '../model/types';
import { fluxDecrypts } from '../sops/format';
import { fileRule, type Fix, type Rule, type RuleFinding } from './types';

export const ENCRYPT_COMMAND = 'gitopsGuardrails.sops.encrypt';

export const secretsUnencrypted: Rule = fileRule(
  {
    id: 'secrets/unencrypted',
    defaultSeverity: 'error',
    description: 'A Secret with values in clear (a secretGenerator\'s literals and the env files and files it reads included), or a file a .sops.yaml creation rule says must be encrypted that is not.',
    help:
      'A pushed commit is public to everyone who can read the repository, forever. Values that only reference a secret kept elsewhere (op://…, ${VAR}, <path:…>, templates) are not plaintext. In a Secret filled in by Flux substitution, a value whose secret parts are placeholders (`b2:${BUCKET}:/backups`, `postgres://${USER}:${PASS}@db/app`) is not plaintext either; a credential written out beside them is. Public material (SSH public keys, PEM certificates and public keys) is no secret. A kustomization\'s secretGenerator makes a Secret too: its `literals` written in clear are reported at the first such literal (kustomize-controller does not decrypt a kustomization file: move them to an env file encrypted with SOPS), and an env file or file it reads that is in the repository and not SOPS-encrypted (kustomize-controller decrypts those) at its entry, with Encrypt with SOPS on that file. The finding never quotes the value.',
    fix: 'Encrypt with SOPS.',
  },
  // One file at a time, so the engine reuses the findings of unchanged files.
  (model, one) => {
    const findings: RuleFinding[] = [];
    for (const file of [one]) {
      if (file.sopsEncrypted || model.graph.patchFiles.has(file.path)) continue;
      const encryptFix: Fix = { title: 'Encrypt with SOPS', changes: [], command: { id: ENCRYPT_COMMAND, arguments: [file.path] }, safe: false, preferred: true };
      let reported = false;
      findings.push(...generatorFindings(model, file));
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

/**
 * The secretGenerator entries of a kustomization file that put a value in clear into their Secret:
 * literals written in the file, or an env file or file it reads that is not SOPS-encrypted. The
 * text of a file that is not YAML is read from disk (the model keeps only whether it exists), so
 * an edit of it alone is seen when the kustomization or the derived graph changes, or at the next
 * full check.
 */
function generatorFindings(model: RepoModel, file: YamlFile): RuleFinding[] {
  if (!isKustomizationFileName(file.path)) return [];
  const r = file.resources.find((x) => x.index === 0);
  const kustomization = r?.object;
  // A file named kustomization.yaml can hold Flux Kustomizations (kustomize.toolkit.fluxcd.io): not a kustomization.
  if (!r || !kustomization || (kustomization.apiVersion !== undefined && !String(kustomization.apiVersion).startsWith('kustomize.config.k8s.io/'))) return [];
  const generators: unknown[] = Array.isArray(kustomization.secretGenerator) ? kustomization.secretGenerator : [];
  const folder = dirname(file.path);
  const findings: RuleFinding[] = [];
  generators.forEach((g: any, i) => {
    if (!g || typeof g !== 'object') return;
    const name = typeof g.name === 'string' && g.name !== '' ? g.name : `entry ${i}`;
    const clear = clearLiterals(g.literals);
    if (clear.length > 0) {
      const keys = clear.map((c) => c.key);
      findings.push({
        file: file.path,
        range: model.rangeOf(r, ['secretGenerator', i, 'literals', clear[0].index], 'value'),
        message: `secretGenerator ${name} has ${keys.length === 1 ? `a literal in clear (${keys[0]})` : `${keys.length} literals in clear (${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''})`}; move ${keys.length === 1 ? 'it' : 'them'} to an env file encrypted with SOPS (envs:), which kustomize-controller decrypts, before pushing.`,
      });
    }
    const sources: Array<{ field: 'envs' | 'env' | 'files'; path: unknown; nodePath: (string | number)[] }> = [
      ...(Array.isArray(g.envs) ? g.envs.map((p: unknown, j: number) => ({ field: 'envs' as const, path: p, nodePath: ['secretGenerator', i, 'envs', j] })) : []),
      ...(typeof g.env === 'string' ? [{ field: 'env' as const, path: g.env, nodePath: ['secretGenerator', i, 'env'] }] : []),
      ...(Array.isArray(g.files) ? g.files.map((p: unknown, j: number) => ({ field: 'files' as const, path: p, nodePath: ['secretGenerator', i, 'files', j] })) : []),
    ];
    for (const source of sources) {
      if (typeof source.path !== 'string') continue;
      // `files:` entries may name their key: `key=path`.
      const named = source.field === 'files' && source.path.split('=').length === 2;
      const relative = named ? source.path.split('=')[1] : source.path;
      const key = named ? source.path.split('=')[0] : relative;
      const path = joinRepoPath(folder, relative);
      // Missing files are kustomize/missing-resource's; a file outside the repository cannot be read here.
      if (path === undefined || model.kindOf(path) !== 'file') continue;
      const yaml = model.file(path);
      const text = yaml?.text ?? model.readText(path);
      if (text === undefined || yaml?.sopsEncrypted || fluxDecrypts(text, source.field === 'files' ? key : path, source.field !== 'files')) continue;
      const keys = source.field === 'files' ? (isClearSecretValue(text) ? [key] : []) : clearEnvKeys(text);
      if (keys.length === 0) continue;
      findings.push({
        file: file.path,
        range: model.rangeOf(r, source.nodePath, 'value'),
        message:
          source.field === 'files'
            ? `secretGenerator ${name} reads ${path}, which is not encrypted: its content is in clear; encrypt it with SOPS (kustomize-controller decrypts it) before pushing.`
            : `secretGenerator ${name} reads ${path}, which is not encrypted: ${keys.length === 1 ? `a value in clear (${keys[0]})` : `${keys.length} values in clear (${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''})`}; encrypt it with SOPS (kustomize-controller decrypts it) before pushing.`,
        fixes: [{ title: `Encrypt ${path} with SOPS`, changes: [], command: { id: ENCRYPT_COMMAND, arguments: [path] }, safe: false, preferred: true }],
      });
    }
  });
  return findings;
}

function isSecret(r: Resource): boolean {
  return r.kind === 'Secret' && r.apiVersion === 'v1';
}
