// Strategic merge as kustomize (kyaml merge2) does it: maps merge, lists with a merge key in the
// Kubernetes schema merge element by element (patch elements first), other lists are replaced,
// `null` deletes a field, `$patch: delete | replace` directives. Kinds without a schema (custom
// resources) have no merge keys, so their lists are replaced, as kustomize does.
import { MERGE_DEFINITIONS, MERGE_KINDS, type MergeField } from './mergeKeys.generated';

export class MergeError extends Error {}

const CLEAR = Symbol('clear');
type Merged = unknown | typeof CLEAR;

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The schema definition of a kind, if kustomize's built-in schema knows it. */
export function mergeDefinitionOf(apiVersion: string, kind: string): string | undefined {
  return MERGE_KINDS[`${apiVersion}/${kind}`];
}

/** Merges `patch` into `base` (neither is changed); undefined when the patch deletes the object. */
export function strategicMerge(base: unknown, patch: unknown, definition: string | undefined): unknown {
  const merged = mergeValue(base, patch, definition === undefined ? undefined : { ref: definition }, []);
  return merged === CLEAR ? undefined : merged;
}

function mergeValue(dest: unknown, patch: unknown, field: MergeField | undefined, path: string[]): Merged {
  if (dest === undefined || dest === null) return added(patch);
  if (patch === null) return CLEAR;
  if (isMap(patch)) {
    if (!isMap(dest)) throw new MergeError(`wrong node kind: expected MappingNode at ${path.join('.') || 'the top'}`);
    return mergeMap(dest, patch, field?.ref, path);
  }
  if (Array.isArray(patch)) {
    if (!Array.isArray(dest)) throw new MergeError(`wrong node kind: expected SequenceNode at ${path.join('.')}`);
    if (field?.keys === undefined) return structuredClone(patch);
    return mergeList(dest, patch, field.keys, field.ref, path);
  }
  if (isMap(dest) || Array.isArray(dest)) throw new MergeError(`wrong node kind: expected ScalarNode at ${path.join('.')}`);
  return patch;
}

function mergeMap(dest: Record<string, unknown>, patch: Record<string, unknown>, definition: string | undefined, path: string[]): Merged {
  const directive = patch.$patch;
  if (directive === 'delete') return CLEAR;
  if (directive === 'replace') return added(withoutDirective(patch));
  if (directive !== undefined && directive !== 'merge') throw new MergeError(`unknown patch strategy '${String(directive)}'`);
  const fields = definition ? MERGE_DEFINITIONS[definition] : undefined;
  const result: Record<string, unknown> = { ...dest };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key.startsWith('$setElementOrder/') || key === '$retainKeys') continue;
    const merged = mergeValue(dest[key], value, fields?.[key], [...path, key]);
    if (merged === CLEAR) delete result[key];
    else result[key] = merged;
  }
  return result;
}

/** A directive element (`- $patch: replace`) applies to the list itself. */
function listDirective(patch: unknown[]): { directive?: string; items: unknown[] } {
  const index = patch.findIndex((e) => isMap(e) && Object.keys(e).length === 1 && typeof e.$patch === 'string');
  if (index < 0) return { items: patch };
  return { directive: (patch[index] as any).$patch, items: patch.filter((_, i) => i !== index) };
}

function mergeList(dest: unknown[], patch: unknown[], keys: string[], elementDefinition: string | undefined, path: string[]): Merged {
  const { directive, items } = listDirective(patch);
  if (directive === 'delete') return CLEAR;
  if (directive === 'replace') return items.map(added).filter((v) => v !== CLEAR);
  if (keys.length === 0) {
    // A list of scalars merged as a set: the patch's values first, then the others.
    const seen = new Set<string>();
    const result: unknown[] = [];
    for (const value of [...items, ...dest]) {
      const key = String(value);
      if (!seen.has(key)) {
        seen.add(key);
        result.push(value);
      }
    }
    return result;
  }
  const keyOf = (e: unknown) => keys.map((k) => (isMap(e) && e[k] !== undefined && e[k] !== null ? String(e[k]) : ''));
  const same = (a: string[], b: string[]) => {
    let common = false;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) common = true;
      else if (a[i] !== '' && b[i] !== '') return false;
    }
    return common;
  };
  const result: unknown[] = [];
  const used = new Set<number>();
  for (const item of items) {
    const key = keyOf(item);
    const at = dest.findIndex((d, i) => !used.has(i) && same(keyOf(d), key));
    if (at >= 0) used.add(at);
    const merged = at >= 0 ? mergeValue(dest[at], item, { ref: elementDefinition }, [...path, key.join(',')]) : added(item);
    if (merged === CLEAR || (isMap(merged) && Object.keys(merged).length === 0)) continue;
    if (isMap(merged)) keys.forEach((k, i) => merged[k] === undefined && key[i] !== '' && (merged[k] = (item as any)[k]));
    result.push(merged);
  }
  dest.forEach((d, i) => used.has(i) || result.push(d));
  return result;
}

function withoutDirective(map: Record<string, unknown>): Record<string, unknown> {
  const { $patch, ...rest } = map;
  return rest;
}

/** Patch content added where the base has nothing: directives applied, null fields dropped. */
function added(value: unknown): Merged {
  if (value === null || value === undefined) return CLEAR;
  if (Array.isArray(value)) {
    const { directive, items } = listDirective(value);
    if (directive === 'delete') return CLEAR;
    return items.map((v) => (isMap(v) ? added(v) : v)).filter((v) => v !== CLEAR);
  }
  if (isMap(value)) {
    if (value.$patch === 'delete') return CLEAR;
    const result: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === '$patch') continue;
      const a = added(v);
      if (a !== CLEAR) result[key] = a;
    }
    return result;
  }
  return value;
}
