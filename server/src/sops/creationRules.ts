/**
 * `.sops.yaml` creation rules: the nearest config from the file's folder upwards (never above
 * the repository root), the first rule whose `path_regex` matches the path relative to the
 * config's folder, and the recipients and selection options of that rule.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { SopsError } from './errors';
import { goRegex } from './goRegex';
import { type Selection, selectionFrom } from './selection';

export interface CreationRule {
  /** The `.sops.yaml` the rule comes from. */
  configPath: string;
  /** Index of the rule in `creation_rules`. */
  index: number;
  pathRegex?: string;
  age: string[];
  /** Other master keys named by the rule (need the sops binary), by type. */
  foreign: Record<string, string[]>;
  /** True when the rule uses `key_groups` (Shamir or grouped keys: sops binary). */
  hasKeyGroups: boolean;
  shamirThreshold?: number;
  selection: Selection;
  macOnlyEncrypted: boolean;
}

const FOREIGN_RULE_KEYS = ['pgp', 'kms', 'gcp_kms', 'azure_keyvault', 'hc_vault_transit_uri', 'hckms'] as const;

/** The nearest `.sops.yaml` from `startDir` up to and including `repoRoot`. */
export function findSopsConfig(repoRoot: string, startDir: string): string | undefined {
  const root = resolve(repoRoot);
  let dir = resolve(startDir);
  const inside = (d: string) => {
    const rel = relative(root, d);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  for (let depth = 0; depth < 100 && inside(dir); depth++) {
    const candidate = join(dir, '.sops.yaml');
    if (existsSync(candidate)) return candidate;
    if (dir === root) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/** A comma-separated string (sops trims items and drops empty ones) or a list. */
export function keyList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' ? keyList(v) : []));
  return [];
}

export function parseCreationRules(text: string, configPath: string): Array<Omit<CreationRule, 'configPath'>> | undefined {
  let doc: unknown;
  try {
    doc = parseYamlText(text, { logLevel: 'error' });
  } catch {
    throw new SopsError('CONFIG', `${configPath}: invalid YAML`);
  }
  const rules = (doc as { creation_rules?: unknown } | null)?.creation_rules;
  if (rules === undefined || rules === null) return undefined;
  if (!Array.isArray(rules)) throw new SopsError('CONFIG', `${configPath}: creation_rules must be a list`);
  return rules.map((r, index) => {
    const rule = (r ?? {}) as Record<string, unknown>;
    const where = `${configPath}: creation_rules[${index}]`;
    if (rule.path_regex !== undefined && typeof rule.path_regex !== 'string') throw new SopsError('CONFIG', `${where}: path_regex must be a string`);
    if (typeof rule.path_regex === 'string') goRegex(rule.path_regex);
    const foreign: Record<string, string[]> = {};
    for (const key of FOREIGN_RULE_KEYS) {
      const list = key === 'kms' && Array.isArray(rule.kms) ? rule.kms.map((k) => (typeof k === 'string' ? k : String((k as { arn?: unknown })?.arn ?? ''))) : keyList(rule[key]);
      if (list.length) foreign[key] = list;
    }
    const keyGroups = Array.isArray(rule.key_groups) ? rule.key_groups : undefined;
    return {
      index,
      pathRegex: rule.path_regex as string | undefined,
      age: keyList(rule.age),
      foreign,
      hasKeyGroups: keyGroups !== undefined,
      shamirThreshold: typeof rule.shamir_threshold === 'number' ? rule.shamir_threshold : undefined,
      selection: selectionFrom(rule, where),
      macOnlyEncrypted: rule.mac_only_encrypted === true,
    };
  });
}

/**
 * The creation rule for `filePath`: undefined when there is no `.sops.yaml` (or it has no
 * `creation_rules`); an error when rules exist but none matches, as sops refuses then.
 */
export function findCreationRule(repoRoot: string, filePath: string): CreationRule | undefined {
  const absolute = resolve(repoRoot, filePath);
  const configPath = findSopsConfig(repoRoot, dirname(absolute));
  if (!configPath) return undefined;
  const rules = parseCreationRules(readFileSync(configPath, 'utf8'), configPath);
  if (!rules) return undefined;
  const configDir = dirname(configPath) + sep;
  const matchPath = absolute.startsWith(configDir) ? absolute.slice(configDir.length) : absolute;
  const rule = rules.find((r) => r.pathRegex === undefined || goRegex(r.pathRegex).test(matchPath));
  if (!rule) throw new SopsError('NO_CREATION_RULE', `${filePath}: no matching creation rules found in ${configPath}`);
  return { configPath, ...rule };
}
