// A Helm chart's values as a schema: its values.schema.json (validated with ajv, each schema
// compiled once) and, for hover and completion, the same schema enriched with what values.yaml
// says (each key's default and the comment above it); a chart without a schema gets one inferred
// from values.yaml, where a map with defaults lists its keys and an empty map (`{}`) is free-form.
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { toProblems, type AjvError } from './messages';
import type { SchemaProblem } from './types';
import { propertiesOf, schemaAt, type JsonSchema, type SchemaRoot } from './walk';

/** One key of values.yaml: its default and the comment written above it. */
export interface ValueDoc {
  value: unknown;
  comment?: string;
  /** The keys of a map value (a map without keys, `{}`, has none: free-form). */
  children?: Map<string, ValueDoc>;
}

const docs = new Map<string, ValueDoc | undefined>();

/** values.yaml read with its comments; undefined when it does not parse into a map. Cached by text. */
export function valuesDocumentation(valuesYaml: string): ValueDoc | undefined {
  if (docs.has(valuesYaml)) return docs.get(valuesYaml);
  let result: ValueDoc | undefined;
  try {
    const document = parseDocument(valuesYaml, { logLevel: 'error' });
    if (document.errors.length === 0 && (isMap(document.contents) || document.contents === null)) {
      const value = document.toJS({ maxAliasCount: 100 }) ?? {};
      result = { value, children: isMap(document.contents) ? mapDocs(document.contents, value, 0) : new Map() };
    }
  } catch {
    result = undefined;
  }
  remember(docs, valuesYaml, result);
  return result;
}

function mapDocs(map: YAMLMap, value: any, depth: number): Map<string, ValueDoc> {
  const out = new Map<string, ValueDoc>();
  map.items.forEach((pair, i) => {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined) return;
    // The first key's comment is the map's own (the YAML library keeps it there).
    const keyComment = isScalar(pair.key) ? pair.key.commentBefore : undefined;
    const comment = cleanComment(keyComment ?? (i === 0 ? map.commentBefore : undefined));
    const child = value?.[key];
    const doc: ValueDoc = { value: child, comment };
    const node = pair.value as Node | null;
    if (isMap(node) && depth < 32) doc.children = mapDocs(node, child, depth + 1);
    else if (child && typeof child === 'object' && !Array.isArray(child) && !isSeq(node)) doc.children = new Map();
    out.set(key, doc);
  });
  return out;
}

/** A values.yaml comment as documentation: `# -- text` (helm-docs) and commented-out examples trimmed. */
function cleanComment(comment: string | null | undefined): string | undefined {
  if (!comment) return undefined;
  // The paragraph right above the key, without lines that are commented-out YAML.
  const paragraphs = comment.split(/\n\s*\n/);
  const lines = paragraphs[paragraphs.length - 1].split('\n').map((l) => l.replace(/^ ?/, ''));
  const text = lines
    .filter((l) => !/^\s*@/.test(l) && !/^\s*[\w.-]+:(\s|$)/.test(l) && !/^\s*-\s/.test(l))
    .map((l) => l.replace(/^-- ?/, '').trim())
    .join('\n')
    .trim();
  return text || undefined;
}

/** Keys written commented out in values.yaml (`# nodeSelector: {}`): documented, so known. */
export function commentedKeys(valuesYaml: string): Set<string> {
  const out = new Set<string>();
  for (const match of valuesYaml.matchAll(/^[ \t]*#+[ \t]*-?[ \t]*([A-Za-z0-9_.-]+)[ \t]*:/gm)) out.add(match[1]);
  return out;
}

const displayed = new Map<string, SchemaRoot>();

/**
 * The schema that hover and completion read inside a HelmRelease's `spec.values`: the chart's
 * schema with descriptions and defaults from values.yaml, or one inferred from values.yaml.
 */
export function valuesDisplayRoot(chartName: string, valuesYaml: string | undefined, schema: unknown): SchemaRoot {
  const key = `${chartName}\0${valuesYaml ?? ''}\0${schema === undefined ? '' : JSON.stringify(schema)}`;
  const cached = displayed.get(key);
  if (cached) return cached;
  const doc = valuesYaml === undefined ? undefined : valuesDocumentation(valuesYaml);
  const base: JsonSchema = isObject(schema) ? enrich(structuredClone(schema), doc, 0) : inferred(doc, 0);
  const definitions = { ...(isObject(base.definitions) ? base.definitions : {}), ...(isObject(base.$defs) ? base.$defs : {}) };
  const root: SchemaRoot = { schema: base, definitions, rootName: 'values' };
  remember(displayed, key, root);
  return root;
}

function inferred(doc: ValueDoc | undefined, depth: number): JsonSchema {
  const out: JsonSchema = {};
  if (doc?.comment) out.description = doc.comment;
  if (!doc) return out;
  const value = doc.value;
  if (doc.children && depth < 32) {
    out.type = 'object';
    if (doc.children.size === 0) out.additionalProperties = {};
    else {
      out.properties = {};
      for (const [key, child] of doc.children) out.properties[key] = inferred(child, depth + 1);
    }
  } else if (Array.isArray(value)) out.type = 'array';
  else if (typeof value === 'string') out.type = 'string';
  else if (typeof value === 'boolean') out.type = 'boolean';
  else if (typeof value === 'number') out.type = Number.isInteger(value) ? 'integer' : 'number';
  if (value !== undefined && value !== null && !doc.children?.size) out.default = value;
  return out;
}

function enrich(schema: JsonSchema, doc: ValueDoc | undefined, depth: number): JsonSchema {
  if (!doc || depth > 32) return schema;
  if (doc.comment && !schema.description) schema.description = doc.comment;
  if (schema.default === undefined && doc.value !== undefined && doc.value !== null && !doc.children?.size) schema.default = doc.value;
  if (doc.children && doc.children.size > 0 && (isObject(schema.properties) || schema.type === 'object') && schema.additionalProperties !== false) {
    // Keys of values.yaml that a loose schema does not list are still the chart's to offer.
    schema.properties = isObject(schema.properties) ? schema.properties : {};
    for (const [key, child] of doc.children) if (!isObject(schema.properties[key])) schema.properties[key] = inferred(child, depth + 1);
  }
  if (isObject(schema.properties) && doc.children) {
    for (const [key, child] of doc.children) if (isObject(schema.properties[key])) enrich(schema.properties[key], child, depth + 1);
  }
  return schema;
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction | null>();

/** The chart's values.schema.json compiled once (by content); null when ajv cannot compile it. */
function validatorOf(schema: unknown): ValidateFunction | null {
  const text = JSON.stringify(schema);
  if (validators.has(text)) return validators.get(text)!;
  // Required on first use: start-up does not pay for ajv.
  ajv ??= new (require('ajv') as typeof import('ajv')).default({ allErrors: true, strict: false, validateSchema: false, validateFormats: false, logger: false });
  let validator: ValidateFunction | null;
  try {
    const copy = structuredClone(schema) as JsonSchema;
    // Helm reads draft 4 to 2020-12 alike; ajv would refuse a meta-schema it does not bundle.
    delete copy.$schema;
    delete copy.$id;
    validator = ajv.compile(copy);
  } catch {
    validator = null;
  }
  remember(validators, text, validator);
  return validator;
}

/** Whether ajv can use the schema (a schema it cannot compile is not used). */
export function usableValuesSchema(schema: unknown): boolean {
  return isObject(schema) && validatorOf(schema) !== null;
}

/** The problems of merged values against a chart's values.schema.json, with paths into the values. */
export function validateValues(chartName: string, schema: unknown, values: Record<string, unknown>): SchemaProblem[] {
  if (!isObject(schema)) return [];
  const validator = validatorOf(schema);
  if (!validator || validator(values)) return [];
  const definitions = { ...(isObject(schema.definitions) ? schema.definitions : {}), ...(isObject(schema.$defs) ? schema.$defs : {}) };
  const root: SchemaRoot = { schema: schema as JsonSchema, definitions, rootName: 'values' };
  return toProblems(root, values, (validator.errors ?? []) as AjvError[]);
}

function isObject(value: unknown): value is Record<string, any> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** A bounded cache: the oldest entry goes when it is full. */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= 64) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

/** The keys a values schema lists for the map at a values path; undefined where it lists none. */
export function schemaKeysAt(schema: unknown, path: ReadonlyArray<string | number>): string[] | undefined {
  if (!isObject(schema)) return undefined;
  const definitions = { ...(isObject(schema.definitions) ? schema.definitions : {}), ...(isObject(schema.$defs) ? schema.$defs : {}) };
  const root: SchemaRoot = { schema: schema as JsonSchema, definitions, rootName: 'values' };
  const at = schemaAt(root, path);
  if (!at) return undefined;
  const keys = Object.keys(propertiesOf(root, at));
  return keys.length > 0 ? keys : undefined;
}
