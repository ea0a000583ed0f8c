// Reading a kustomization file as kustomize does: field names matched without regard to case (Go's
// JSON decoding), unknown fields refused, deprecated fields folded into their successors.
import { parseAllDocuments } from 'yaml';
import { BuildFailure } from './resources';
import type { SourceRef } from './types';
import { readDocument } from '../limits';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const FIELDS = [
  'apiVersion', 'kind', 'metadata', 'openapi', 'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels',
  'commonAnnotations', 'patchesStrategicMerge', 'patchesJson6902', 'patches', 'images', 'imageTags', 'replacements',
  'replicas', 'vars', 'sortOptions', 'resources', 'crds', 'bases', 'components', 'configMapGenerator', 'secretGenerator',
  'helmGlobals', 'helmCharts', 'helmChartInflationGenerator', 'generatorOptions', 'configurations', 'generators',
  'transformers', 'validators', 'buildMetadata',
];
const BY_LOWER = new Map(FIELDS.map((f) => [f.toLowerCase(), f]));

/** A kustomization's fields under their canonical names, and where each was written. */
export interface KustomizationSpec {
  fields: Record<string, any>;
  /** The key as written, for node paths into the file (`apiversion` stays `apiversion`). */
  keys: Record<string, string>;
  isComponent: boolean;
  /** The kustomization Flux generates for a plain folder (no file): errors point at the files it lists. */
  generated?: boolean;
  /** Entries written elsewhere (a Flux Kustomization's spec.patches): where each comes from. */
  origins?: Map<unknown, SourceRef>;
}

export function parseKustomization(text: string, source: SourceRef): KustomizationSpec {
  const documents = parseAllDocuments(text, { uniqueKeys: false });
  const docs = Array.isArray(documents) ? documents : [documents];
  const error = docs.flatMap((d) => d.errors)[0];
  if (error) throw new BuildFailure(`invalid Kustomization: ${error.message.split('\n')[0]}`, source, 'yaml-syntax');
  const values: unknown[] = [];
  for (const doc of docs) {
    const read = readDocument(doc);
    // Over a limit (an alias bomb, absurd nesting): kustomize's decoder refuses such a file too.
    if (read.problem !== undefined) throw new BuildFailure(`invalid Kustomization: ${read.problem}`, source, 'yaml-syntax');
    if (read.value !== null && read.value !== undefined) values.push(read.value);
  }
  const value: any = values.length === 0 ? {} : values[0];
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new BuildFailure('invalid Kustomization: not a map', source);
  const fields: Record<string, any> = {};
  const keys: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const canonical = BY_LOWER.get(key.toLowerCase());
    if (!canonical) throw new BuildFailure(`invalid Kustomization: json: unknown field "${key}"`, { ...source, nodePath: [key] });
    // Go's decoder: a later key of the same name (any case) overwrites the earlier one.
    fields[canonical] = v;
    keys[canonical] = key;
  }
  const kind = fields.kind ?? '';
  if (kind !== '' && kind !== 'Kustomization' && kind !== 'Component') {
    throw new BuildFailure('kind should be Kustomization or Component', { ...source, nodePath: [keys.kind] });
  }
  const isComponent = kind === 'Component';
  const required = isComponent ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
  if (fields.apiVersion !== undefined && fields.apiVersion !== '' && fields.apiVersion !== required) {
    throw new BuildFailure(`apiVersion for ${kind || 'Kustomization'} should be ${required}`, { ...source, nodePath: [keys.apiVersion] });
  }
  return { fields, keys, isComponent };
}

/** A list field as strings; a scalar where a list belongs is refused as kustomize refuses it. */
export function stringList(spec: KustomizationSpec, field: string, source: SourceRef): string[] {
  const value = spec.fields[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BuildFailure(`invalid Kustomization: json: cannot unmarshal ${typeof value} into Go struct field Kustomization.${field} of type []string`, { ...source, nodePath: [spec.keys[field]] });
  return value.map((v) => (v === null || v === undefined ? '' : String(v)));
}
