// The .sops.yaml creation rules as the model sees them: the nearest config from a file's folder
// upward, the first rule whose path_regex matches the path relative to the config's folder.
import type { RepoModel } from '../model/model';
import { ancestors } from '../model/paths';
import { parseCreationRules, type CreationRule } from '../sops/creationRules';
import { goRegex } from '../sops/goRegex';
import { wholeExpression } from '../model/build/envsubst';

export interface CreationRuleMatch {
  config: string;
  /** undefined when the config has rules but none matches. */
  rule?: Omit<CreationRule, 'configPath'>;
}

/** The creation rule for a file, or undefined when no .sops.yaml with creation_rules covers it. */
export function creationRuleFor(model: RepoModel, path: string): CreationRuleMatch | undefined {
  for (const folder of ancestors(path)) {
    const config = folder ? `${folder}/.sops.yaml` : '.sops.yaml';
    const file = model.file(config);
    if (!file) continue;
    // A YamlFile is a new object whenever its text changes: parsed once per file object.
    const rules = model.queries.get('sops creation rules', file, [], () => {
      try {
        return parseCreationRules(file.text, config) ?? null;
      } catch {
        return null;
      }
    });
    if (!rules) return undefined;
    const relative = folder ? path.slice(folder.length + 1) : path;
    const rule = rules.find((r) => {
      if (r.pathRegex === undefined) return true;
      try {
        return goRegex(r.pathRegex).test(relative);
      } catch {
        return false;
      }
    });
    return { config, rule };
  }
  return undefined;
}

/** A value that only points at a secret kept elsewhere is not a secret in clear. */
export function isReference(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const text = String(value).trim();
  return (
    text === '' ||
    /^op:\/\//.test(text) ||
    /^<path:[^>]+>$/.test(text) ||
    wholeExpression(text) !== undefined ||
    // An environment variable the program expands itself (Grafana provisioning, shells): `$DB_PASSWORD`.
    /^\$[A-Z_][A-Z0-9_]*$/.test(text) ||
    /\{\{.*\}\}/.test(text) ||
    /^(vault|awssm|gcpsm|azkv|ref\+[a-z]+):\/\//.test(text)
  );
}
