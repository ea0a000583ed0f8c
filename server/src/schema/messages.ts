// Turns ajv's errors into one clear problem each: the path into the document, a message that names
// the expected type or the allowed fields, and no cascade from anyOf/oneOf branches.
import { isPlaceholder, valueAt } from './tolerance';
import type { SchemaProblem } from './types';
import { ownerName, propertiesOf, resolve, schemaAt, type SchemaRoot } from './walk';

export interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
}

export interface MessageOptions {
  isPatch?: boolean;
  ignoreRequired?: boolean;
}

export function toProblems(
  root: SchemaRoot,
  document: unknown,
  errors: readonly AjvError[],
  options: MessageOptions = {},
): SchemaProblem[] {
  const remaining = collapseBranches(root, document, [...errors]);
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of remaining) {
    const problem = 'problem' in error ? error.problem : toProblem(root, document, error, options);
    if (!problem) continue;
    const key = `${problem.target}|${JSON.stringify(problem.path)}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return sortByDocumentOrder(document, problems);
}

/** Problems in the order their nodes appear in the document (a stable sort keeps ties). */
function sortByDocumentOrder(document: unknown, problems: SchemaProblem[]): SchemaProblem[] {
  const position = (path: (string | number)[]): number[] => {
    const out: number[] = [];
    let current: any = document;
    for (const step of path) {
      if (current === null || typeof current !== 'object') break;
      out.push(typeof step === 'number' ? step : Object.keys(current).indexOf(step));
      current = current[step];
    }
    return out;
  };
  const keyed = problems.map((problem) => ({ problem, at: position(problem.path) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.min(a.at.length, b.at.length); i++) if (a.at[i] !== b.at[i]) return a.at[i] - b.at[i];
    return a.at.length - b.at.length;
  });
  return keyed.map((k) => k.problem);
}

type Pending = AjvError | { problem: SchemaProblem | undefined };

/** Replaces each failed anyOf/oneOf and its branches' errors by one problem or the best branch's errors. */
function collapseBranches(root: SchemaRoot, document: unknown, errors: AjvError[]): Pending[] {
  let list: Pending[] = errors;
  const groups = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const group of groups) {
    if (!list.includes(group)) continue;
    const prefix = `${group.schemaPath}/`;
    const inside = (e: Pending): e is AjvError =>
      !('problem' in e) &&
      e.schemaPath.startsWith(prefix) &&
      (e.instancePath === group.instancePath || e.instancePath.startsWith(`${group.instancePath}/`));
    const branchErrors = list.filter(inside);
    const byBranch = new Map<number, AjvError[]>();
    for (const e of branchErrors) {
      const index = Number(e.schemaPath.slice(prefix.length).split('/')[0]);
      byBranch.set(index, [...(byBranch.get(index) ?? []), e]);
    }
    const at = list.indexOf(group);
    list = list.filter((e) => e !== group && !inside(e));
    list.splice(Math.min(at, list.length), 0, ...summarise(root, document, group, byBranch));
  }
  return list;
}

function summarise(root: SchemaRoot, document: unknown, group: AjvError, byBranch: Map<number, AjvError[]>): Pending[] {
  const path = toPath(document, group.instancePath);
  const value = valueAt(document, path);
  if (isPlaceholder(value)) return [];
  if (group.keyword === 'oneOf' && Array.isArray(group.params.passingSchemas)) {
    return [{ problem: { path, target: 'key', message: `${quoteName(root, path)} matches more than one allowed form; set only one of the alternatives` } }];
  }
  const branchLists = [...byBranch.values()];
  if (branchLists.length > 0 && branchLists.every((l) => l.every((e) => e.keyword === 'required' && e.instancePath === group.instancePath))) {
    const names = [...new Set(branchLists.flatMap((l) => l.map((e) => e.params.missingProperty)))];
    return [{ problem: { path, target: 'key', message: `Missing one of the fields ${names.map((n) => `"${n}"`).join(', ')} in ${ownerName(root, path)}` } }];
  }
  if (branchLists.length > 0 && branchLists.every((l) => l.length === 1 && l[0].keyword === 'type' && l[0].instancePath === group.instancePath)) {
    const types = branchLists.map((l) => String(l[0].params.type));
    return [{ problem: { path, target: 'value', message: `${quoteName(root, path)} must be ${typeList(types.join(','))}, got ${typeOfValue(value)}` } }];
  }
  // The branch that failed least is most likely the one meant.
  let best: AjvError[] | undefined;
  for (const l of branchLists) if (!best || l.length < best.length) best = l;
  if (best && best.length) return best;
  return [{ problem: { path, target: 'value', message: `${quoteName(root, path)} matches none of the allowed forms` } }];
}

function toProblem(root: SchemaRoot, document: unknown, error: AjvError, options: MessageOptions): SchemaProblem | undefined {
  const path = toPath(document, error.instancePath);
  const value = valueAt(document, path);
  const name = quoteName(root, path);
  const p = error.params;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(p.additionalProperty);
      if (options.isPatch && field.startsWith('$')) return undefined;
      return { path: [...path, field], target: 'key', message: unknownField(root, path, field) };
    }
    case 'required':
      if (options.isPatch || options.ignoreRequired) return undefined;
      return { path, target: 'key', message: `Missing required field "${p.missingProperty}" in ${ownerName(root, path)}` };
    case 'type':
      if (isPlaceholder(value)) return undefined;
      if (!path.length) return { path, target: 'value', message: `The document must be a map, got ${typeOfValue(value)}` };
      if (resolve(root, schemaAt(root, path))?.format === 'quantity') {
        return { path, target: 'value', message: `${name} must be a quantity such as 500m, 1Gi or 2, got ${typeOfValue(value)}` };
      }
      return { path, target: 'value', message: `${name} must be ${typeList(String(p.type))}, got ${typeOfValue(value)}` };
    case 'enum': {
      if (isPlaceholder(value)) return undefined;
      const allowed: unknown[] = p.allowedValues ?? schemaAt(root, path)?.enum ?? [];
      const suggestion = typeof value === 'string' ? closest(value, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
      return {
        path,
        target: 'value',
        message: `${name} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
      };
    }
    case 'const':
      if (isPlaceholder(value)) return undefined;
      return { path, target: 'value', message: `${name} must be ${JSON.stringify(p.allowedValue)}, got ${JSON.stringify(value)}` };
    case 'pattern':
      if (isPlaceholder(value)) return undefined;
      return { path, target: 'value', message: `${name} must match the pattern ${p.pattern}, got ${JSON.stringify(value)}` };
    case 'format':
      return undefined;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      if (isPlaceholder(value)) return undefined;
      return { path, target: 'value', message: `${name} must be ${p.comparison} ${p.limit}, got ${JSON.stringify(value)}` };
    case 'multipleOf':
      return { path, target: 'value', message: `${name} must be a multiple of ${p.multipleOf}` };
    case 'minLength':
    case 'maxLength':
      if (isPlaceholder(value)) return undefined;
      return { path, target: 'value', message: `${name} must be at ${error.keyword === 'minLength' ? 'least' : 'most'} ${p.limit} characters long` };
    case 'minItems':
    case 'maxItems':
      return { path, target: 'value', message: `${name} must have at ${error.keyword === 'minItems' ? 'least' : 'most'} ${p.limit} item${p.limit === 1 ? '' : 's'}` };
    case 'minProperties':
    case 'maxProperties':
      return { path, target: 'value', message: `${name} must have at ${error.keyword === 'minProperties' ? 'least' : 'most'} ${p.limit} field${p.limit === 1 ? '' : 's'}` };
    case 'uniqueItems':
      return { path, target: 'value', message: `${name} must not repeat an item (items ${p.j} and ${p.i} are equal)` };
    case 'not': {
      // CRDs use `not: {required: [a, b]}` to forbid fields together.
      const forbidden = pointer(root.schema, error.schemaPath)?.required;
      if (Array.isArray(forbidden) && forbidden.length === 1) {
        return { path: [...path, forbidden[0]], target: 'key', message: `Field "${forbidden[0]}" is not allowed in ${ownerName(root, path)}` };
      }
      if (Array.isArray(forbidden) && forbidden.length > 1) {
        return { path, target: 'key', message: `${forbidden.map((f) => `"${f}"`).join(' and ')} cannot be set together in ${ownerName(root, path)}` };
      }
      return { path, target: 'value', message: `${name} has a form that is not allowed here` };
    }
    case 'anyOf':
    case 'oneOf':
    case 'if':
    case 'then':
    case 'else':
      return undefined;
    default:
      return { path, target: 'value', message: `${name} is invalid (${error.keyword})` };
  }
}

function unknownField(root: SchemaRoot, path: (string | number)[], field: string): string {
  const allowed = Object.keys(propertiesOf(root, schemaAt(root, path)));
  const owner = ownerName(root, path);
  const suggestion = closest(field, allowed.filter((name) => name !== field));
  if (suggestion) return `Unknown field "${field}" in ${owner}; did you mean "${suggestion}"?`;
  if (allowed.length === 0) return `Unknown field "${field}" in ${owner}; it takes no fields`;
  if (allowed.length <= 12) return `Unknown field "${field}" in ${owner}; allowed fields: ${allowed.join(', ')}`;
  return `Unknown field "${field}" in ${owner}`;
}

/** The schema a `#/...` schemaPath names within a root schema, if it is there. */
function pointer(schema: unknown, schemaPath: string): Record<string, any> | undefined {
  if (!schemaPath.startsWith('#')) return undefined;
  let current: any = schema;
  for (const raw of schemaPath.slice(1).split('/').slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = current[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return current && typeof current === 'object' ? current : undefined;
}

/** Splits a JSON pointer into keys and indexes (indexes where the document holds a list). */
export function toPath(document: unknown, pointer: string): (string | number)[] {
  if (!pointer) return [];
  const path: (string | number)[] = [];
  let current: any = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step = Array.isArray(current) && /^\d+$/.test(key) ? Number(key) : key;
    path.push(step);
    current = current == null ? undefined : current[step];
  }
  return path;
}

/** `"replicas"`, `"args[2]"`, or `The document`. */
function quoteName(_root: SchemaRoot, path: (string | number)[]): string {
  if (!path.length) return 'The document';
  let i = path.length - 1;
  let suffix = '';
  while (i >= 0 && typeof path[i] === 'number') suffix = `[${path[i--]}]${suffix}`;
  return `"${i >= 0 ? path[i] : ''}${suffix}"`;
}

const ARTICLE: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  object: 'a map',
  array: 'a list',
  null: 'null',
};

function typeList(types: string): string {
  const list = types.split(',');
  if (list.includes('integer') && list.includes('string') && list.length === 2) return 'an integer or a string';
  if (list.includes('number') && list.includes('string') && list.length === 2) return 'a number or a string';
  return list.map((t) => ARTICLE[t] ?? t).join(' or ');
}

export function typeOfValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The closest candidate by edit distance (case-insensitive), if close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      // A swap of two neighbours counts as one edit.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length];
}
