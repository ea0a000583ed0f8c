// Field specs (which fields of which kinds a transformer writes) and the transformer configuration
// they make up: kustomize's defaults, merged with a kustomization's `configurations` files.
import { parse as parseYaml } from 'yaml';
import { DEFAULT_FIELD_SPECS } from './kustomizeDefaults';
import { groupVersion } from './resources';

export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  path: string;
  create?: boolean;
}

export interface NameBackReference {
  group?: string;
  version?: string;
  kind: string;
  fieldSpecs: FieldSpec[];
}

export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  namespace: FieldSpec[];
  commonLabels: FieldSpec[];
  templateLabels: FieldSpec[];
  labels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
  nameReference: NameBackReference[];
}

const NAME_SPECS: FieldSpec[] = [{ path: 'metadata/name' }];

function toSpecs(value: unknown): FieldSpec[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((s) => s && typeof s === 'object' && typeof s.path === 'string')
    .map((s) => ({ group: str(s.group), version: str(s.version), kind: str(s.kind), path: s.path, create: s.create === true }));
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

function toBackReferences(value: unknown): NameBackReference[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((r) => r && typeof r === 'object' && typeof r.kind === 'string')
    .map((r) => ({ group: str(r.group), version: str(r.version), kind: r.kind, fieldSpecs: toSpecs(r.fieldSpecs) }));
}

let defaults: TransformerConfig | undefined;

export function defaultConfig(): TransformerConfig {
  if (!defaults) {
    const read = (key: string) => (parseYaml(DEFAULT_FIELD_SPECS[key]) as any)?.[key];
    defaults = {
      namePrefix: NAME_SPECS,
      nameSuffix: NAME_SPECS,
      namespace: toSpecs(read('namespace')),
      commonLabels: toSpecs(read('commonLabels')),
      templateLabels: toSpecs(read('templateLabels')),
      labels: [],
      commonAnnotations: toSpecs(read('commonAnnotations')),
      images: toSpecs(read('images')),
      replicas: toSpecs(read('replicas')),
      nameReference: toBackReferences(read('nameReference')),
    };
  }
  return defaults;
}

export function emptyConfig(): TransformerConfig {
  return { namePrefix: [], nameSuffix: [], namespace: [], commonLabels: [], templateLabels: [], labels: [], commonAnnotations: [], images: [], replicas: [], nameReference: [] };
}

const sameSpec = (a: FieldSpec, b: FieldSpec) => a.path === b.path && a.kind === b.kind && a.group === b.group && a.version === b.version;

function mergeSpecs(a: FieldSpec[], b: FieldSpec[]): FieldSpec[] {
  const result = [...a];
  for (const s of b) if (!result.some((r) => sameSpec(r, s))) result.push(s);
  return result;
}

/** Merges two configurations as kustomize's TransformerConfig.Merge does (union, back references by kind). */
export function mergeConfig(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  const nameReference = a.nameReference.map((r) => ({ ...r }));
  for (const r of b.nameReference) {
    const same = nameReference.find((x) => x.kind === r.kind && x.group === r.group && x.version === r.version);
    if (same) same.fieldSpecs = mergeSpecs(same.fieldSpecs, r.fieldSpecs);
    else nameReference.push(r);
  }
  return {
    namePrefix: mergeSpecs(a.namePrefix, b.namePrefix),
    nameSuffix: mergeSpecs(a.nameSuffix, b.nameSuffix),
    namespace: mergeSpecs(a.namespace, b.namespace),
    commonLabels: mergeSpecs(a.commonLabels, b.commonLabels),
    templateLabels: mergeSpecs(a.templateLabels, b.templateLabels),
    labels: mergeSpecs(a.labels, b.labels),
    commonAnnotations: mergeSpecs(a.commonAnnotations, b.commonAnnotations),
    images: mergeSpecs(a.images, b.images),
    replicas: mergeSpecs(a.replicas, b.replicas),
    nameReference,
  };
}

/** A `configurations` file's content. */
export function configFromObject(object: any): TransformerConfig {
  const c = emptyConfig();
  if (!object || typeof object !== 'object') return c;
  c.namePrefix = toSpecs(object.namePrefix);
  c.nameSuffix = toSpecs(object.nameSuffix);
  c.namespace = toSpecs(object.namespace);
  c.commonLabels = toSpecs(object.commonLabels);
  c.templateLabels = toSpecs(object.templateLabels);
  c.labels = toSpecs(object.labels);
  c.commonAnnotations = toSpecs(object.commonAnnotations);
  c.images = toSpecs(object.images);
  c.replicas = toSpecs(object.replicas);
  c.nameReference = toBackReferences(object.nameReference);
  return c;
}

/** Whether a spec (or selector) with optional group/version/kind selects this apiVersion/kind. */
export function selectsGvk(spec: { group?: string; version?: string; kind?: string }, apiVersion: string, kind: string): boolean {
  const { group, version } = groupVersion(apiVersion);
  if (spec.kind && spec.kind !== kind) return false;
  if (spec.group !== undefined && spec.group !== '' && spec.group !== group) return false;
  if (spec.version && spec.version !== version) return false;
  return true;
}

/** Splits a field spec path on unescaped slashes. */
export function splitPath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\' && path[i + 1] === '/') {
      current += '/';
      i++;
    } else if (path[i] === '/') {
      parts.push(current);
      current = '';
    } else current += path[i];
  }
  parts.push(current);
  return parts.filter((p) => p !== '');
}

/**
 * Calls `visit(holder, key)` for every field the path reaches in `object` (sequences on the way are
 * walked element by element); with `create`, missing maps on the way and the field itself are made.
 */
export function visitPath(object: any, path: string, create: (() => unknown) | undefined, visit: (holder: any, key: string) => void): void {
  const walk = (node: any, parts: string[]) => {
    if (Array.isArray(node)) {
      for (const element of node) walk(element, parts);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const [head, ...rest] = parts;
    const key = head.endsWith('[]') ? head.slice(0, -2) : head;
    if (rest.length === 0) {
      if (node[key] === undefined || node[key] === null) {
        if (!create) return;
        node[key] = create();
      }
      visit(node, key);
      return;
    }
    if (node[key] === undefined || node[key] === null) {
      if (!create || head.endsWith('[]')) return;
      node[key] = {};
    }
    walk(node[key], rest);
  };
  const parts = splitPath(path);
  if (parts.length > 0) walk(object, parts);
}
