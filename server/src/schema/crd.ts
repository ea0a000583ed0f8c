// CustomResourceDefinitions → validators. A CRD's structural schema becomes a strict JSON schema
// (unknown fields rejected where properties are listed, except under
// x-kubernetes-preserve-unknown-fields), compiled by ajv on first use and cached by content hash.
import { createHash } from 'node:crypto';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { JsonSchema } from './walk';

/** One served version of one CRD kind. */
export interface CrdVersion {
  group: string;
  version: string;
  kind: string;
  apiVersion: string;
  /** The openAPIV3Schema as written in the CRD (descriptions kept for hover). */
  schema: JsonSchema;
  deprecated: boolean;
  deprecationWarning?: string;
  /** Hash of the schema's content: the cache key of its validator. */
  hash: string;
  /** Where it came from: a repository file or the bundled Flux fallback. */
  origin: string;
  /**
   * The schema is a guess at the cluster's version (the bundled fallback): lists of kinds grow
   * from release to release, so `kind` enums are not enforced.
   */
  relaxKindEnums?: boolean;
}

/** Reads the served versions out of CRD objects (apiextensions.k8s.io/v1 and v1beta1). */
export function crdVersions(crd: any, origin: string, relaxKindEnums = false): CrdVersion[] {
  if (!crd || crd.kind !== 'CustomResourceDefinition' || typeof crd.spec !== 'object' || !crd.spec) return [];
  const group = crd.spec.group;
  const kind = crd.spec.names?.kind;
  if (typeof group !== 'string' || typeof kind !== 'string') return [];
  const out: CrdVersion[] = [];
  const shared = crd.spec.validation?.openAPIV3Schema;
  const versions: any[] = Array.isArray(crd.spec.versions)
    ? crd.spec.versions
    : typeof crd.spec.version === 'string'
      ? [{ name: crd.spec.version, served: true }]
      : [];
  for (const v of versions) {
    if (!v || typeof v.name !== 'string' || v.served === false) continue;
    const schema = v.schema?.openAPIV3Schema ?? shared;
    if (!schema || typeof schema !== 'object') continue;
    const text = JSON.stringify(schema);
    out.push({
      group,
      version: v.name,
      kind,
      apiVersion: `${group}/${v.name}`,
      schema,
      deprecated: v.deprecated === true,
      deprecationWarning: typeof v.deprecationWarning === 'string' ? v.deprecationWarning : undefined,
      hash: createHash('sha1').update(kind).update(relaxKindEnums ? '\0relaxed\0' : '\0').update(text).digest('hex'),
      origin,
      relaxKindEnums,
    });
  }
  return out;
}

const KEEP = new Set([
  'type', 'properties', 'additionalProperties', 'items', 'required', 'enum', 'pattern', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems',
  'minProperties', 'maxProperties', 'multipleOf', 'allOf', 'anyOf', 'oneOf', 'not',
]);

/**
 * The validation schema of a CRD version. `metadata` at the root is Kubernetes' ObjectMeta; inside
 * anyOf/oneOf/allOf/not (value validations only) nothing is made strict.
 */
export function toValidationSchema(schema: JsonSchema, objectMetaRef: string, relaxKindEnums = false): JsonSchema {
  const root = convert(schema, false, relaxKindEnums);
  root.type = 'object';
  root.properties = { ...(root.properties ?? {}), apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { $ref: objectMetaRef } };
  return root;
}

function convert(schema: JsonSchema, inBranch: boolean, relax: boolean): JsonSchema {
  if (!schema || typeof schema !== 'object') return {};
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEEP.has(key)) continue;
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => {
          const converted = convert(v as JsonSchema, inBranch, relax);
          if (relax && k === 'kind') delete converted.enum;
          return [k, converted];
        }),
      );
    } else if (key === 'items' && value && typeof value === 'object' && !Array.isArray(value)) {
      out.items = convert(value, inBranch, relax);
    } else if (key === 'additionalProperties') {
      out.additionalProperties = typeof value === 'object' ? convert(value, inBranch, relax) : value;
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = value.map((v) => convert(v, true, relax));
    } else if (key === 'not') {
      // A `not` emptied of what we do not read would forbid everything.
      const not = convert(value, true, relax);
      if (Object.keys(not).length > 0) out.not = not;
    } else if (key === 'pattern') {
      if (validPattern(value)) out.pattern = value;
    } else if (key === 'type') {
      if (typeof value === 'string' && JSON_TYPES.has(value)) out.type = value;
    } else if (key === 'required' || key === 'enum') {
      if (Array.isArray(value) && value.length > 0) out[key] = key === 'required' ? value.filter((v) => typeof v === 'string') : value;
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      out[key] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string']) {
    out.type = ['integer', 'string'];
    delete out.anyOf;
    delete out.oneOf;
  }
  if (typeof out.exclusiveMinimum === 'boolean') {
    if (out.exclusiveMinimum && typeof out.minimum === 'number') out.exclusiveMinimum = out.minimum, delete out.minimum;
    else delete out.exclusiveMinimum;
  }
  if (typeof out.exclusiveMaximum === 'boolean') {
    if (out.exclusiveMaximum && typeof out.maximum === 'number') out.exclusiveMaximum = out.maximum, delete out.maximum;
    else delete out.exclusiveMaximum;
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (schema['x-kubernetes-embedded-resource'] && out.properties && !preserve) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  if (!inBranch && !preserve && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const JSON_TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean', 'null']);

const patternCache = new Map<string, boolean>();
/** Go's RE2 syntax is not JavaScript's; a pattern JavaScript cannot read is left out. */
function validPattern(pattern: unknown): boolean {
  if (typeof pattern !== 'string') return false;
  let ok = patternCache.get(pattern);
  if (ok === undefined) {
    try {
      new RegExp(pattern, 'u');
      ok = true;
    } catch {
      ok = false;
    }
    patternCache.set(pattern, ok);
  }
  return ok;
}

/** ajv for CRD schemas, with ObjectMeta and its parts added once. */
export class CrdCompiler {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction | null>();
  readonly objectMetaRef = 'k8s-meta#/definitions/V1ObjectMeta';
  /** Compile time of every validator so far, in milliseconds. */
  compileMs = 0;
  compiles = 0;
  /** Schemas ajv refused (a CRD written for another validator); their documents are not judged. */
  failures = 0;

  constructor(metaDefinitions: Record<string, JsonSchema>) {
    // ajv's code optimiser makes compiling several times slower for no gain worth it here.
    // Required here, not at the top: the server answers initialize before any schema is compiled.
    const { default: AjvClass } = require('ajv') as typeof import('ajv');
    this.ajv = new AjvClass({ allErrors: true, messages: false, strict: false, validateFormats: false, code: { optimize: false } });
    this.ajv.addSchema({ $id: 'k8s-meta', definitions: metaDefinitions });
  }

  /** The validator of a CRD version, or null when its schema cannot be compiled (then nothing is judged). */
  validator(version: CrdVersion): ValidateFunction | null {
    let fn = this.cache.get(version.hash);
    if (fn === undefined) {
      const started = performance.now();
      try {
        fn = this.ajv.compile(toValidationSchema(version.schema, this.objectMetaRef, version.relaxKindEnums));
      } catch {
        fn = null;
        this.failures++;
      }
      this.compileMs += performance.now() - started;
      this.compiles++;
      this.cache.set(version.hash, fn);
    }
    return fn;
  }
}
