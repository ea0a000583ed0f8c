// Walking a JSON schema along a document path: the schema at a path, its display type and the
// name of the object that owns a field. Used by messages, describe() and fieldsAt().
import type { DocumentPath } from './types';

export type JsonSchema = Record<string, any>;

/** A schema together with the definitions its `$ref`s point into and the name of its root. */
export interface SchemaRoot {
  schema: JsonSchema;
  definitions: Record<string, JsonSchema>;
  /** Shown for objects without a title: `HelmRelease.spec.chart`. */
  rootName: string;
}

/** Follows `#/definitions/X` references; the referring schema's description wins. */
export function resolve(root: SchemaRoot, schema: JsonSchema | undefined): JsonSchema | undefined {
  let current = schema;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 16; hops++) {
    const name = current.$ref.slice(current.$ref.lastIndexOf('/') + 1);
    current = root.definitions[name];
  }
  return current;
}

/** Branches of anyOf/oneOf/allOf that can hold fields, in order. */
function branches(root: SchemaRoot, schema: JsonSchema): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    for (const branch of schema[keyword] ?? []) {
      const resolved = resolve(root, branch);
      if (resolved) out.push(resolved);
    }
  }
  return out;
}

/** The schema of one step down (`key` of a map or `index` of a list), or undefined if none. */
export function child(root: SchemaRoot, schema: JsonSchema | undefined, step: string | number): JsonSchema | undefined {
  const s = resolve(root, schema);
  if (!s) return undefined;
  if (typeof step === 'number') {
    if (s.items && typeof s.items === 'object') return s.items;
  } else {
    if (s.properties && Object.prototype.hasOwnProperty.call(s.properties, step)) return s.properties[step];
    if (s.additionalProperties && typeof s.additionalProperties === 'object') return s.additionalProperties;
  }
  for (const branch of branches(root, s)) {
    const found = child(root, branch, step);
    if (found) return found;
  }
  return undefined;
}

/** The field schema at a document path (unresolved, so its own description survives). */
export function schemaAt(root: SchemaRoot, path: DocumentPath): JsonSchema | undefined {
  let current: JsonSchema | undefined = root.schema;
  for (const step of path) {
    current = child(root, current, step);
    if (!current) return undefined;
  }
  return current;
}

/** All property schemas of an object schema, its branches included. */
export function propertiesOf(root: SchemaRoot, schema: JsonSchema | undefined): Record<string, JsonSchema> {
  const s = resolve(root, schema);
  if (!s) return {};
  const out: Record<string, JsonSchema> = {};
  for (const branch of branches(root, s)) Object.assign(out, propertiesOf(root, branch));
  return Object.assign(out, s.properties ?? {});
}

export function requiredOf(root: SchemaRoot, schema: JsonSchema | undefined): string[] {
  const s = resolve(root, schema);
  return Array.isArray(s?.required) ? s.required : [];
}

/** A kubectl-explain style type name. */
export function displayType(root: SchemaRoot, schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  const s = resolve(root, schema);
  if (!s) return 'any';
  if (s.format === 'int-or-string' || s['x-kubernetes-int-or-string']) return 'int-or-string';
  if (s.format === 'quantity') return 'Quantity';
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.includes('array') || (s.items && !types.length)) return `[]${displayType(root, s.items)}`;
  if (types.includes('object') || s.properties || s.additionalProperties) {
    if (s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties) {
      return `map[string]${displayType(root, s.additionalProperties)}`;
    }
    return s.title ?? 'object';
  }
  if (s.format === 'date-time') return 'Time';
  if (types.length === 1) return types[0];
  if (types.length > 1) return types.join(' or ');
  return 'any';
}

export function descriptionOf(root: SchemaRoot, schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  return schema.description ?? resolve(root, schema)?.description;
}

export function enumOf(root: SchemaRoot, schema: JsonSchema | undefined): unknown[] | undefined {
  const s = resolve(root, schema);
  if (!s) return undefined;
  if (Array.isArray(s.enum)) return s.enum;
  for (const branch of branches(root, s)) if (Array.isArray(branch.enum)) return branch.enum;
  return undefined;
}

/** The name of the object at a path, for messages: its title, else `Root.spec.chart`. */
export function ownerName(root: SchemaRoot, path: DocumentPath): string {
  const s = resolve(root, schemaAt(root, path));
  if (s?.title) return s.title;
  let name = root.rootName;
  for (const step of path) name += typeof step === 'number' ? '[]' : `.${step}`;
  return name;
}
