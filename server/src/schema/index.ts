// The schema engine: validates a YAML document (as a plain object) against Kubernetes 1.34, the
// kustomization schema, and the CRDs of the repository (Flux's own from a bundled fallback when the
// repository has none), and answers hover and completion questions about fields.
import {
  builtinValidators,
  crdSnapshot,
  fluxFallback,
  k8sDefinitions,
  k8sRoot,
  KUSTOMIZE_API_GROUP,
  kustomizationRoot,
  loadTimings,
  objectMetaDefinitions,
} from './builtin';
import { CrdCompiler, crdVersions, type CrdVersion } from './crd';
import { knownDeprecation } from './deprecations';
import { toProblems, type AjvError } from './messages';
import { isPlaceholder, prepareDocument } from './tolerance';
import { derived } from '../model/query';
import type {
  Completions,
  Deprecation,
  DocumentPath,
  FieldDescription,
  SchemaProblem,
  ValidateOptions,
  ValidationResult,
} from './types';
import { descriptionOf, displayType, enumOf, propertiesOf, requiredOf, resolve, schemaAt, type JsonSchema, type SchemaRoot } from './walk';

export type * from './types';
export { DEPRECATED_KUSTOMIZE_FIELDS, deprecatedKustomizeFields } from './deprecations';
export { isPlaceholder } from './tolerance';

/** Counters for the benchmark: read them, or reset them with resetSchemaTimings(). */
export const schemaTimings = {
  /** Validations run and their total time (ms), compile time excluded. */
  validations: 0,
  validateMs: 0,
  /** CRD validators compiled (each on first use of its content) and their total time (ms). */
  crdCompiles: 0,
  crdCompileMs: 0,
  /** Loading the precompiled built-in validators and the definitions (ms, once). */
  builtinLoadMs: 0,
  definitionsLoadMs: 0,
};

export function resetSchemaTimings(): void {
  Object.assign(schemaTimings, { validations: 0, validateMs: 0, crdCompiles: 0, crdCompileMs: 0 });
}

/** Kubernetes API groups without a kind in the built-in table. */
const OTHER_KUBERNETES_GROUPS = new Set([
  'extensions', 'authentication.k8s.io', 'authorization.k8s.io', 'storagemigration.k8s.io', 'internal.apiserver.k8s.io',
]);

let compiler: CrdCompiler | undefined;
/** One compiler per process: validators are cached by content hash across registries. */
function crdCompiler(): CrdCompiler {
  compiler ??= new CrdCompiler(objectMetaDefinitions());
  return compiler;
}

let fallback: Map<string, CrdVersion[]> | undefined;
/** The bundled Flux CRDs by `<apiVersion>|<kind>`, read once per process. */
function fluxVersions(): Map<string, CrdVersion[]> {
  if (!fallback) {
    fallback = new Map();
    const flux = fluxFallback();
    for (const crd of flux.crds) {
      for (const version of crdVersions(crd, `Flux ${flux.flux[0]} (bundled)`, true)) {
        fallback.set(`${version.apiVersion}|${version.kind}`, [version]);
      }
    }
  }
  return fallback;
}

const SNAPSHOT_ORIGIN = ' (bundled snapshot)';

/** Every field name a schema declares, at any depth (once per schema object). */
const declaredNames = derived((schema: JsonSchema): Set<string> => {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const properties = (node as JsonSchema).properties;
    if (properties && typeof properties === 'object') for (const [name, value] of Object.entries(properties)) (found.add(name), visit(value));
    for (const key of ['items', 'additionalProperties', 'allOf', 'anyOf', 'oneOf']) visit((node as JsonSchema)[key]);
  };
  visit(schema);
  return found;
});

let snapshotByKey: Map<string, CrdVersion[]> | undefined;
let snapshotByKind: Map<string, CrdVersion[]> | undefined;
/** The bundled CRD snapshot by `<apiVersion>|<kind>`, and every version by `<group>|<kind>`, read once per process. */
function snapshotVersions(): { byKey: Map<string, CrdVersion[]>; byKind: Map<string, CrdVersion[]> } {
  if (!snapshotByKey || !snapshotByKind) {
    snapshotByKey = new Map();
    snapshotByKind = new Map();
    for (const crd of crdSnapshot().crds) {
      for (const version of crdVersions(crd, `${crd.package ?? 'bundled'}${SNAPSHOT_ORIGIN}`)) {
        snapshotByKey.set(`${version.apiVersion}|${version.kind}`, [version]);
        const all = snapshotByKind.get(`${version.group}|${version.kind}`) ?? [];
        all.push(version);
        snapshotByKind.set(`${version.group}|${version.kind}`, all);
      }
    }
  }
  return { byKey: snapshotByKey, byKind: snapshotByKind };
}

/** Kubernetes' version priority: v2 > v1 > v1beta2 > v1beta1 > v1alpha1 (other names last). */
function versionRank(version: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!m) return -1;
  const stage = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
  return Number(m[1]) * 10_000 + stage * 1_000 + (m[3] ? Number(m[3]) : 0);
}

/**
 * The version to move to from a deprecated one: the one its warning names, else the highest
 * served version that is not deprecated.
 */
function replacementOf(deprecated: CrdVersion, siblings: CrdVersion[]): string | undefined {
  const current = siblings.filter((v) => !v.deprecated && v.version !== deprecated.version);
  const named = current.find((v) => new RegExp(`\\b${v.version}\\b`).test(deprecated.deprecationWarning ?? ''));
  if (named) return named.apiVersion;
  return current.sort((a, b) => versionRank(b.version) - versionRank(a.version))[0]?.apiVersion;
}

type Candidate =
  | { source: 'builtin'; root: SchemaRoot; run: (doc: unknown) => AjvError[] }
  | { source: 'crd'; root: SchemaRoot; version: CrdVersion };

export class SchemaRegistry {
  /** `<apiVersion>|<kind>` → versions from the repository, one per distinct schema. */
  private readonly repository = new Map<string, CrdVersion[]>();
  /** `<group>|<kind>` of every CRD in the repository: the fallback never stands in for them. */
  private readonly repositoryKinds = new Set<string>();
  private readonly useFluxFallback: boolean;
  private readonly useSnapshot: boolean;

  /**
   * `fluxFallback`: Flux's own CRDs where the repository has none; `crdSnapshot`: the bundled
   * schemas of common operators (external-secrets, cert-manager, prometheus-operator, Gateway API)
   * for kinds whose CRD is not in the repository. Both on unless turned off.
   */
  constructor(options: { fluxFallback?: boolean; crdSnapshot?: boolean } = {}) {
    this.useFluxFallback = options.fluxFallback !== false;
    this.useSnapshot = options.crdSnapshot !== false;
  }

  /**
   * Registers every served version of the given CustomResourceDefinition objects (other objects
   * are ignored). The same apiVersion/kind from two CRDs with different schemas keeps both, and a
   * document is judged by the one it fits best.
   */
  addCustomResourceDefinitions(crds: Iterable<unknown>, origin = 'repository'): void {
    for (const crd of crds) {
      for (const version of crdVersions(crd, origin)) {
        const key = `${version.apiVersion}|${version.kind}`;
        const list = this.repository.get(key) ?? [];
        if (!list.some((v) => v.hash === version.hash)) list.push(version);
        this.repository.set(key, list);
        this.repositoryKinds.add(`${version.group}|${version.kind}`);
      }
    }
  }

  clearCustomResourceDefinitions(): void {
    this.repository.clear();
    this.repositoryKinds.clear();
  }

  /** Whether validate() has a schema for this apiVersion and kind. */
  hasSchema(apiVersion: string, kind: string): boolean {
    if (apiVersion.startsWith(`${KUSTOMIZE_API_GROUP}/`)) return true;
    return this.candidates(apiVersion, kind).length > 0;
  }

  validate(document: unknown, options: ValidateOptions = {}): ValidationResult {
    if (!document || typeof document !== 'object' || Array.isArray(document)) return [];
    const obj = document as Record<string, unknown>;
    const { apiVersion, kind } = obj;
    // A kustomization file holds kustomize's Kustomization; a Flux Kustomization says so by its apiVersion.
    const kustomization =
      typeof apiVersion === 'string' && apiVersion
        ? apiVersion.startsWith(`${KUSTOMIZE_API_GROUP}/`)
        : options.isKustomization === true;
    if (!kustomization) {
      if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) return [];
      if (isPlaceholder(apiVersion) || isPlaceholder(kind)) return [];
    }
    const candidates = kustomization ? [this.kustomizationCandidate()] : this.candidates(apiVersion as string, kind as string);
    if (candidates.length === 0) return { unknownKind: `${apiVersion} ${kind}` };

    const prepared = prepareDocument(obj);
    let best: SchemaProblem[] | undefined;
    for (const candidate of candidates) {
      const errors = this.run(candidate, prepared);
      const problems = errors.length ? this.problemsOf(candidate, prepared, errors, options) : [];
      if (!best || problems.length < best.length) best = problems;
      if (best.length === 0) break;
    }
    return best ?? [];
  }

  /** Whether the apiVersion's group is one of Kubernetes' own (core, apps, batch, *.k8s.io APIs it serves). */
  isKubernetesGroup(apiVersion: string): boolean {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    if (!group) return true;
    return OTHER_KUBERNETES_GROUPS.has(group) || Object.keys(k8sDefinitions().kinds).some((key) => key.startsWith(`${group}/`));
  }

  /** Whether some schema is known in this apiVersion's group (Kubernetes', a CRD's, Flux's). */
  isKnownGroup(apiVersion: string): boolean {
    if (this.isKubernetesGroup(apiVersion)) return true;
    const group = apiVersion.slice(0, Math.max(0, apiVersion.indexOf('/')));
    for (const key of this.repositoryKinds) if (key.startsWith(`${group}|`)) return true;
    return this.useFluxFallback && [...fluxVersions().values()].some((versions) => versions[0].group === group);
  }

  /** Every apiVersion that has a schema for this kind: built-in, the repository's CRDs, the Flux fallback. */
  apiVersionsOf(kind: string): string[] {
    const out = new Set<string>();
    for (const key of Object.keys(k8sDefinitions().kinds)) {
      const slash = key.lastIndexOf('/');
      if (key.slice(slash + 1) === kind) out.add(key.slice(0, slash));
    }
    for (const map of [this.repository, this.useFluxFallback ? fluxVersions() : new Map<string, CrdVersion[]>()]) {
      for (const versions of map.values()) for (const v of versions) if (v.kind === kind) out.add(v.apiVersion);
    }
    return [...out].sort();
  }

  /** A deprecated or removed apiVersion, from the built-in table or the repository's CRDs. */
  deprecation(apiVersion: string, kind: string): Deprecation | undefined {
    const known = knownDeprecation(apiVersion, kind);
    const versions = this.repository.get(`${apiVersion}|${kind}`);
    if (known && versions?.length) {
      // The repository installs a CRD that still serves this version: deprecated here, not gone.
      return { ...known, message: `${known.message} (the CustomResourceDefinition in this repository still serves ${apiVersion})`, removed: false };
    }
    if (known) return known;
    const deprecated = versions?.find((v) => v.deprecated);
    if (deprecated && versions!.every((v) => v.deprecated)) {
      const siblings = [...this.repository.values()].flat().filter((v) => v.group === deprecated.group && v.kind === kind);
      const replacement = replacementOf(deprecated, siblings);
      return {
        message: deprecated.deprecationWarning ?? `${apiVersion} ${kind} is deprecated by its CustomResourceDefinition${replacement ? `; use ${replacement}` : ''}`,
        removed: false,
        fromCustomResourceDefinition: true,
        ...(replacement ? { replacement } : {}),
      };
    }
    // The bundled snapshot speaks only for kinds whose CRD the repository does not have.
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    if (this.useSnapshot && !versions?.length && !this.repositoryKinds.has(`${group}|${kind}`)) {
      const { byKey, byKind } = snapshotVersions();
      const bundled = byKey.get(`${apiVersion}|${kind}`)?.[0];
      if (bundled?.deprecated) {
        const replacement = replacementOf(bundled, byKind.get(`${group}|${kind}`) ?? []);
        return {
          message: bundled.deprecationWarning ?? `${apiVersion} ${kind} is deprecated${replacement ? `; use ${replacement}` : ''}`,
          removed: false,
          fromCustomResourceDefinition: true,
          ...(replacement ? { replacement } : {}),
        };
      }
    }
    return undefined;
  }

  /** The type and description of the field at a document path (`[]` is the document itself). */
  describe(apiVersion: string, kind: string, path: DocumentPath): FieldDescription | undefined {
    const root = this.displayRoot(apiVersion, kind);
    return root && describeAt(root, path);
  }

  /** What may be written at a document path: the fields of the object there, or its allowed values. */
  fieldsAt(apiVersion: string, kind: string, path: DocumentPath): Completions | undefined {
    const root = this.displayRoot(apiVersion, kind);
    return root && fieldsAtPath(root, path);
  }

  private displayRoot(apiVersion: string, kind: string): SchemaRoot | undefined {
    if (apiVersion.startsWith(`${KUSTOMIZE_API_GROUP}/`) || (!apiVersion && kind === 'Kustomization')) return kustomizationRoot();
    return this.candidates(apiVersion, kind)[0]?.root;
  }

  private candidates(apiVersion: string, kind: string): Candidate[] {
    const key = `${apiVersion}|${kind}`;
    const repository = this.repository.get(key);
    if (repository?.length) return repository.map((v) => this.crdCandidate(v));
    const root = k8sRoot(apiVersion, kind);
    if (root) {
      const exportName = builtinValidators().kinds[`${apiVersion}/${kind}`];
      const validator = builtinValidators().k8s[exportName];
      return [{ source: 'builtin', root, run: (doc) => (validator(doc) ? [] : (validator.errors ?? [])) }];
    }
    const group = apiVersion.slice(0, apiVersion.indexOf('/'));
    if (this.useFluxFallback && group.endsWith('.toolkit.fluxcd.io') && !this.repositoryKinds.has(`${group}|${kind}`)) {
      return (fluxVersions().get(key) ?? []).map((v) => this.crdCandidate(v));
    }
    // The bundled snapshot: only for an apiVersion it has, and never where the repository has the kind's CRD.
    if (this.useSnapshot && group && !this.repositoryKinds.has(`${group}|${kind}`)) {
      return (snapshotVersions().byKey.get(key) ?? []).map((v) => this.crdCandidate(v));
    }
    return [];
  }

  /**
   * ajv's errors as problems. The bundled snapshot may be older or newer than the cluster's
   * operator, so only what no release changes is certain there: a field of the kind written where
   * it does not belong (its name is declared elsewhere in the kind) and a value of the wrong type.
   * A field the snapshot never heard of, an enum value, a required field or a range may be another
   * release's: such problems are uncertain (information), and say which schema they come from.
   */
  private problemsOf(candidate: Candidate, document: unknown, errors: AjvError[], options: ValidateOptions): SchemaProblem[] {
    if (candidate.source !== 'crd' || !candidate.version.origin.endsWith(SNAPSHOT_ORIGIN)) return toProblems(candidate.root, document, errors, options);
    const declared = declaredNames(candidate.version.schema);
    const certain: AjvError[] = [];
    const uncertain: AjvError[] = [];
    for (const error of errors) {
      const misplaced = error.keyword === 'additionalProperties' && declared.has(String(error.params.additionalProperty));
      (misplaced || error.keyword === 'type' ? certain : uncertain).push(error);
    }
    const from = candidate.version.origin.slice(0, -SNAPSHOT_ORIGIN.length);
    return [
      ...toProblems(candidate.root, document, certain, options),
      ...toProblems(candidate.root, document, uncertain, options).map((p) => ({
        ...p,
        uncertain: true,
        message: `${p.message} (by the bundled schema from ${from}; another release of the operator may accept it)`,
      })),
    ];
  }

  private kustomizationCandidate(): Candidate {
    const validator = builtinValidators().kustomization;
    return { source: 'builtin', root: kustomizationRoot(), run: (doc) => (validator(doc) ? [] : (validator.errors ?? [])) };
  }

  private crdCandidate(version: CrdVersion): Candidate {
    const schema = version.schema;
    const metadata = { $ref: '#/definitions/V1ObjectMeta', description: schema.properties?.metadata?.description };
    const display = { ...schema, properties: { ...(schema.properties ?? {}), metadata } };
    return { source: 'crd', root: { schema: display, definitions: k8sDefinitions().definitions, rootName: version.kind }, version };
  }

  private run(candidate: Candidate, document: unknown): AjvError[] {
    if (candidate.source === 'builtin') {
      const hadValidators = schemaTimings.builtinLoadMs > 0;
      const started = performance.now();
      const errors = candidate.run(document);
      schemaTimings.validateMs += performance.now() - started;
      schemaTimings.validations++;
      if (!hadValidators) {
        schemaTimings.builtinLoadMs = loadTimings.validatorsMs;
        schemaTimings.definitionsLoadMs = loadTimings.definitionsMs;
      }
      return errors;
    }
    const c = crdCompiler();
    const [msBefore, compilesBefore] = [c.compileMs, c.compiles];
    const validator = c.validator(candidate.version);
    schemaTimings.crdCompileMs += c.compileMs - msBefore;
    schemaTimings.crdCompiles += c.compiles - compilesBefore;
    if (!validator) return [];
    const started = performance.now();
    const ok = validator(document);
    schemaTimings.validateMs += performance.now() - started;
    schemaTimings.validations++;
    return ok ? [] : ((validator.errors ?? []) as AjvError[]);
  }
}

/** The type, description, allowed values and default of the field at a path of a schema. */
export function describeAt(root: SchemaRoot, path: DocumentPath): FieldDescription | undefined {
  const schema = schemaAt(root, path);
  if (!schema) return undefined;
  const result: FieldDescription = { type: displayType(root, schema) };
  const description = descriptionOf(root, schema);
  if (description) result.description = description;
  const values = enumOf(root, schema);
  if (values) result.enum = values;
  const fallback = schema.default ?? resolve(root, schema)?.default;
  if (fallback !== undefined) result.default = fallback;
  return result;
}

/** What may be written at a path of a schema: the fields of the object there, or its allowed values. */
export function fieldsAtPath(root: SchemaRoot, path: DocumentPath): Completions | undefined {
  let schema = schemaAt(root, path);
  if (!schema) return undefined;
  // At a list, complete the fields of a new item.
  const list = resolve(root, schema);
  if (list?.type === 'array' && list.items && typeof list.items === 'object') schema = list.items as JsonSchema;
  const required = new Set(requiredOf(root, schema));
  const fields = Object.entries(propertiesOf(root, schema)).map(([name, field]) => {
    const completion = { name, type: displayType(root, field), required: required.has(name) } as Completions['fields'][number];
    const description = descriptionOf(root, field);
    if (description) completion.description = description;
    const values = enumOf(root, field);
    if (values) completion.enum = values;
    const fallback = field.default ?? resolve(root, field)?.default;
    if (fallback !== undefined) completion.default = fallback;
    return completion;
  });
  return { fields, values: enumOf(root, schema) ?? (resolve(root, schema)?.type === 'boolean' ? [true, false] : []) };
}
