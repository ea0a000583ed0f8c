// Reading a kustomization file as kustomize does: field names matched without regard to case (Go's
// JSON decoding), unknown fields refused, deprecated fields folded into their successors. A file of
// the model is read from the model's parse (its object, else its documents), once per version.
//
// The top kustomization of a Flux Kustomization's spec.path is read leniently instead: before
// kustomize sees it, kustomize-controller runs fluxcd/pkg's kustomize generator (kustomize/
// kustomize_generator.go, GenerateManifest; kustomize-controller v1.9 uses fluxcd/pkg/kustomize
// v1.39), which decodes the existing file into kustomize's Kustomization struct with
// sigs.k8s.io/yaml's plain Unmarshal (no DisallowUnknownFields, unlike kustomize's own
// Kustomization.Unmarshal), applies the spec's fields and always writes the struct back: fields
// the struct does not have are gone before kustomize's strict read. Nested kustomizations are not
// rewritten, so kustomize refuses an unknown field there as it does in `kustomize build`.
import { parseAllDocuments, type Document } from 'yaml';
import { BuildFailure } from './resources';
import type { SourceRef } from './types';
import { readDocument } from '../limits';
import { canonicalKustomization } from '../kustomization-keys';
import { documentsParsed } from '../parse';
import type { YamlFile } from '../types';
import { derived } from '../query';

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
  /** Top-level keys as written that kustomize does not know, in the order written (dropped from fields). */
  unknown?: string[];
}

/**
 * How a kustomization file is decoded: 'strict' as kustomize decodes it (the first unknown field
 * refuses the file), 'lenient' as Flux's generator decodes the top kustomization (unknown fields
 * dropped, listed in the spec's `unknown`).
 */
export type Decoding = 'strict' | 'lenient';

/** A kustomization file's text that is not a YAML file of the model (`Kustomization`), parsed here. */
export function parseKustomization(text: string, source: SourceRef, decoding: Decoding = 'strict'): KustomizationSpec {
  return decoded(read(text, source), source, decoding);
}

function read(text: string, source: SourceRef): KustomizationSpec {
  const documents = parseAllDocuments(text, { uniqueKeys: false });
  const docs = Array.isArray(documents) ? documents : [documents];
  const error = docs.flatMap((d) => d.errors)[0];
  if (error) throw new BuildFailure(`invalid Kustomization: ${error.message.split('\n')[0]}`, source, 'yaml-syntax');
  return fromDocuments(docs, source);
}

/** The first value of a file's documents, each read within the limits; then the spec. */
function fromDocuments(docs: readonly Document.Parsed[], source: SourceRef): KustomizationSpec {
  let raw: unknown;
  for (const doc of docs) {
    const read = readDocument(doc);
    // Over a limit (an alias bomb, absurd nesting): kustomize's decoder refuses such a file too.
    if (read.problem !== undefined) throw new BuildFailure(`invalid Kustomization: ${read.problem}`, source, 'yaml-syntax');
    if (raw === undefined && read.value !== null && read.value !== undefined) raw = read.value;
  }
  if (raw === undefined) return specOf({}, []);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new BuildFailure('invalid Kustomization: not a map', source);
  return specOf(canonicalKustomization(raw as Record<string, unknown>), Object.keys(raw));
}

/** A kustomization file of the model read once per version of the file (a new YamlFile): its spec, or why kustomize refuses it. */
const specs = derived((file: YamlFile): KustomizationSpec | BuildFailure => {
  try {
    return readKustomizationFile(file, { file: file.path });
  } catch (error) {
    if (!(error instanceof BuildFailure)) throw error;
    return error;
  }
});

/**
 * A kustomization file of the model as kustomize reads it, from the model's parse: read once per
 * version of the file (a new YamlFile), each caller given its own top-level fields (a Flux
 * Kustomization's overlay replaces some). The values are the model's: never changed in place.
 * `source` names the file as the caller does: its path, the one a failure points into.
 */
export function kustomizationOf(file: YamlFile, source: SourceRef, decoding: Decoding = 'strict'): KustomizationSpec {
  const spec = specs(file);
  if (spec instanceof BuildFailure) throw new BuildFailure(spec.message, { ...spec.source, file: source.file }, spec.code);
  return decoded(spec, source, decoding);
}

/**
 * The spec as one decoding yields it (a copy: its fields are the caller's to replace): unknown
 * fields refused or dropped, then kind and apiVersion checked as kustomize checks them after
 * decoding (Kustomization.EnforceFields).
 */
function decoded(spec: KustomizationSpec, source: SourceRef, decoding: Decoding): KustomizationSpec {
  const unknown = spec.unknown ?? [];
  if (unknown.length > 0 && decoding === 'strict') throw new BuildFailure(`invalid Kustomization: json: unknown field "${unknown[0]}"`, { ...source, nodePath: [unknown[0]] });
  const fields = { ...spec.fields };
  for (const key of unknown) delete fields[key];
  const { keys } = spec;
  const kind = fields.kind ?? '';
  if (kind !== '' && kind !== 'Kustomization' && kind !== 'Component') {
    throw new BuildFailure('kind should be Kustomization or Component', { ...source, nodePath: [keys.kind] });
  }
  const isComponent = kind === 'Component';
  const required = isComponent ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
  if (fields.apiVersion !== undefined && fields.apiVersion !== '' && fields.apiVersion !== required) {
    throw new BuildFailure(`apiVersion for ${kind || 'Kustomization'} should be ${required}`, { ...source, nodePath: [keys.apiVersion] });
  }
  return { ...spec, fields, isComponent };
}

function readKustomizationFile(file: YamlFile, source: SourceRef): KustomizationSpec {
  // Syntax errors and documents over a limit, as the model found them (Go yaml's leniencies included).
  if (file.syntaxErrors.length > 0) throw new BuildFailure(`invalid Kustomization: ${file.syntaxErrors[0].message}`, source, 'yaml-syntax');
  // A file a parse worker read keeps only its objects: when the text shows its top-level keys as
  // they are spelled in the object, the object is the kustomization and its documents are not
  // parsed again here.
  const first = file.resources[0];
  if (!documentsParsed(file) && first?.index === 0) {
    const written = topLevelKeys(file.text);
    const keys = Object.keys(first.object);
    if (written && written.length === keys.length && keys.every((k) => written.includes(k))) return specOf(first.object, written);
  }
  return fromDocuments(file.documents, source);
}

/**
 * The keys written at the start of a line of a one-document text, or undefined when the text may
 * hold anything else (several documents, a directive, a key written twice).
 */
function topLevelKeys(text: string): string[] | undefined {
  if (text.startsWith('%') || /\n(---|\.\.\.)/.test(text)) return undefined;
  const keys: string[] = [];
  for (const match of text.matchAll(/^([^\s#:\-"'{[][^:\n]*?)[ \t]*:(?=[ \t]|$)/gm)) {
    if (keys.includes(match[1])) return undefined;
    keys.push(match[1]);
  }
  return keys;
}

/**
 * The spec of a kustomization's value (its keys canonical), given its top-level keys as written
 * (in order); unknown keys are listed, not yet refused (see decoded), and kind not yet checked.
 */
function specOf(value: Record<string, unknown>, written: readonly string[]): KustomizationSpec {
  const fields: Record<string, any> = {};
  const keys: Record<string, string> = {};
  const unknown: string[] = [];
  for (const key of written) {
    const canonical = BY_LOWER.get(key.toLowerCase());
    if (!canonical) {
      unknown.push(key);
      continue;
    }
    // Go's decoder: a later key of the same name (any case) overwrites the earlier one.
    keys[canonical] = key;
  }
  for (const [key, v] of Object.entries(value)) fields[BY_LOWER.get(key.toLowerCase()) ?? key] = v;
  return { fields, keys, isComponent: false, ...(unknown.length > 0 ? { unknown } : {}) };
}

/** A list field as strings; a scalar where a list belongs is refused as kustomize refuses it. */
export function stringList(spec: KustomizationSpec, field: string, source: SourceRef): string[] {
  const value = spec.fields[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BuildFailure(`invalid Kustomization: json: cannot unmarshal ${typeof value} into Go struct field Kustomization.${field} of type []string`, { ...source, nodePath: [spec.keys[field]] });
  return value.map((v) => (v === null || v === undefined ? '' : String(v)));
}
