import { ancestors, isWithin } from '../model/paths';
import type { Resource, YamlFile } from '../model/types';
import type { RepoModel } from '../model/model';
import { creationRuleFor } from './sops-policy';
import { clearValues } from './credentials';
import type { Rule, RuleFinding } from './types';

/**
 * The file's first Secret that sops would encrypt: an encrypted one, or one with a value in clear
 * (as secrets/unencrypted reads it). One whose values are references, placeholders or public
 * material needs no encryption and so no rule.
 */
function secretOf(file: YamlFile): Resource | undefined {
  return file.resources.find(
    (r) =>
      r.kind === 'Secret' &&
      r.apiVersion === 'v1' &&
      (['data', 'stringData'] as const).some((f) => (file.sopsEncrypted ? Object.keys(r.object[f] ?? {}).length > 0 : clearValues(r, f).length > 0)),
  );
}

interface Uncovered {
  file: YamlFile;
  secret: Resource;
  config: string;
}

/**
 * A Secret in a file that no creation rule of the nearest .sops.yaml matches. The files of one
 * uncovered tree (the highest folder below the .sops.yaml that holds no covered Secret) are one
 * cause: said once, at the first of them, with the others as related locations.
 */
export const secretsNoCreationRule: Rule = {
  id: 'secrets/no-creation-rule',
  defaultSeverity: 'warning',
  description: 'A Secret in a file that no .sops.yaml creation rule matches.',
  help:
    'sops refuses to encrypt a file no creation rule matches ("no matching creation rules found"), and an encrypted one cannot be re-encrypted with the repository\'s keys after an edit. Several such files in one folder that no rule covers are reported once, at the first, with the others as related locations. A Secret that holds nothing in clear (references, `${VAR}` placeholders, public keys and certificates) needs no encryption and so no rule. Quiet where the repository has no .sops.yaml with creation_rules.',
  fix: '—',
  check(model: RepoModel) {
    const uncovered: Uncovered[] = [];
    // Folders holding a Secret that a creation rule covers: an uncovered tree stops below them.
    const covered = new Set<string>();
    // Which files hold a Secret to encrypt: again only for the files an edit changed.
    const secrets = model.queries.perFile('secrets to encrypt', [], secretOf, (secret) => secret === undefined).byPath;
    for (const [path, secret] of secrets) {
      const file = model.file(path);
      if (!secret || !file) continue;
      const match = creationRuleFor(model, file.path);
      if (!match) continue;
      if (match.rule) for (const folder of ancestors(file.path)) covered.add(folder);
      else uncovered.push({ file, secret, config: match.config });
    }
    const groups = new Map<string, Uncovered[]>();
    for (const u of uncovered) {
      const configFolder = ancestors(u.config)[0];
      // The highest folder below the .sops.yaml's that holds no covered Secret (else the file's own).
      const folders = ancestors(u.file.path).filter((f) => f !== configFolder && isWithin(f, configFolder) && !covered.has(f));
      const tree = folders[folders.length - 1] ?? ancestors(u.file.path)[0];
      const key = `${u.config}\n${tree}`;
      groups.set(key, [...(groups.get(key) ?? []), u]);
    }
    const findings: RuleFinding[] = [];
    for (const [key, list] of groups) {
      list.sort((a, b) => a.file.path.localeCompare(b.file.path));
      const [first, ...rest] = list;
      const again = (u: Uncovered) => (u.file.sopsEncrypted ? ' again after an edit' : '');
      if (rest.length === 0) {
        findings.push({
          file: first.file.path,
          range: model.rangeOf(first.secret, ['kind']),
          message: `No creation rule of ${first.config} matches ${first.file.path}: sops cannot encrypt it${again(first)}. Add a path_regex that covers it, or move the file.`,
        });
        continue;
      }
      const tree = key.split('\n')[1];
      findings.push({
        file: first.file.path,
        range: model.rangeOf(first.secret, ['kind']),
        message:
          `No creation rule of ${first.config} matches the ${list.length} files with Secrets under ${tree === '' ? 'the repository root' : tree} (${first.file.path} and ${rest.length} more): ` +
          `sops cannot encrypt them${list.every((u) => u.file.sopsEncrypted) ? ' again after an edit' : ''}. Add a path_regex that covers them, or move the files.`,
        related: rest.map((u) => ({
          file: u.file.path,
          range: model.rangeOf(u.secret, ['kind']),
          message: `No creation rule of ${u.config} matches ${u.file.path} either`,
        })),
      });
    }
    return findings;
  },
};
