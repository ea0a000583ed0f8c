// What a Flux Kustomization applies: kustomize-controller writes its spec into the folder's
// kustomization (generating one for a plain folder): targetNamespace, patches, components, images,
// namePrefix/nameSuffix, commonMetadata; builds it; substitutes postBuild variables into each
// object (unless it opts out); and labels every object with the Kustomization's name.
import { parseDocument, stringify } from 'yaml';
import { readDocument } from '../limits';
import { runBuild, type KustomizeBuilder } from './engine';
import { envsubst } from './envsubst';
import type { KustomizationSpec } from './kustomization';
import { BuildFailure, type Res } from './resources';
import type { BuildInput, BuildResult, SourceRef } from './types';

export interface FluxKustomizationInput {
  /** The repository folder spec.path resolves to. */
  folder: string;
  /** The Kustomization's own document: where its fields are, for the chain and for errors. */
  source: SourceRef;
  name: string;
  namespace: string;
  /** The spec as the controller sees it (a parent's spec.patches applied). */
  spec: any;
  /**
   * postBuild variables: `substitute` over the substituteFrom values the model could read.
   * `unknownVariables` says substituteFrom sources could not be read: an undefined variable then
   * stays as written (its value is unknown), and the result says so.
   */
  variables: Record<string, string>;
  unknownVariables?: string;
}

const SUBSTITUTE = 'kustomize.toolkit.fluxcd.io/substitute';

function overlayFor(spec: any, source: SourceRef): (k: KustomizationSpec) => void {
  return (k) => {
    const f = k.fields;
    if (Array.isArray(spec?.patches)) {
      k.origins ??= new Map();
      spec.patches.forEach((p: unknown, i: number) => k.origins!.set(p, { ...source, nodePath: ['spec', 'patches', i] }));
    }
    if (typeof spec?.targetNamespace === 'string' && spec.targetNamespace !== '') f.namespace = spec.targetNamespace;
    if (typeof spec?.namePrefix === 'string' && spec.namePrefix !== '') f.namePrefix = spec.namePrefix;
    if (typeof spec?.nameSuffix === 'string' && spec.nameSuffix !== '') f.nameSuffix = spec.nameSuffix;
    if (Array.isArray(spec?.patches) && spec.patches.length > 0) f.patches = [...(Array.isArray(f.patches) ? f.patches : []), ...spec.patches];
    if (Array.isArray(spec?.components) && spec.components.length > 0) f.components = [...(Array.isArray(f.components) ? f.components : []), ...spec.components];
    if (Array.isArray(spec?.images) && spec.images.length > 0) f.images = [...(Array.isArray(f.images) ? f.images : []), ...spec.images];
    const metadata = spec?.commonMetadata;
    if (metadata?.annotations && typeof metadata.annotations === 'object') f.commonAnnotations = { ...(f.commonAnnotations ?? {}), ...metadata.annotations };
    if (metadata?.labels && typeof metadata.labels === 'object') f.labels = [...(Array.isArray(f.labels) ? f.labels : []), { pairs: metadata.labels, includeSelectors: false }];
  };
}

/**
 * Whether Flux leaves an object out of post-build substitution: the annotation or label
 * `kustomize.toolkit.fluxcd.io/substitute: disabled` on the object as built (a kustomization's
 * commonAnnotations or labels may have put it there).
 */
export function substitutionOptedOut(object: any): boolean {
  return object?.metadata?.annotations?.[SUBSTITUTE] === 'disabled' || object?.metadata?.labels?.[SUBSTITUTE] === 'disabled';
}

/** Flux's substitution works on each object's YAML text, which is then read again. */
function substituteObject(r: Res, variables: Record<string, string>, unknown: boolean, unknownNames: Set<string>): void {
  if (!JSON.stringify(r.object).includes('$')) return;
  const text = stringify(r.object, { version: '1.1', lineWidth: 0 });
  const result = envsubst(text, variables, () => unknown);
  for (const name of result.unknownNames) unknownNames.add(name);
  if (result.text === text) return;
  const doc = parseDocument(result.text, { version: '1.1', logLevel: 'error' });
  if (doc.errors.length > 0) return;
  // Substituted values could spell YAML aliases: within the model's limits, or left as it was.
  const read = readDocument(doc);
  if (read.problem === undefined) r.object = read.value;
}

/** The objects one Flux Kustomization applies. */
export function renderFluxKustomization(input: BuildInput, ks: FluxKustomizationInput): BuildResult {
  const result = runBuild(input, ks.folder, (builder: KustomizeBuilder) => {
    const kind = builder.kindOf(ks.folder);
    // A path that names a file is no folder Flux can build; the file is still what it points at.
    if (kind === 'file') builder.reach.manifests.add(ks.folder);
    if (kind !== 'folder') throw new BuildFailure(`kustomization path not found: ${ks.folder || '.'}`, { ...ks.source, nodePath: ['spec', 'path'] }, 'missing-path');
    const resources = builder.build(ks.folder, overlayFor(ks.spec, ks.source), true);
    const substitute = ks.spec?.postBuild && (Object.keys(ks.variables).length > 0 || (Array.isArray(ks.spec.postBuild.substituteFrom) && ks.spec.postBuild.substituteFrom.length > 0));
    const unknownNames = new Set<string>();
    for (const r of resources) {
      if (substitute && !substitutionOptedOut(r.object)) substituteObject(r, ks.variables, ks.unknownVariables !== undefined, unknownNames);
      r.object.metadata ??= {};
      r.object.metadata.labels = { ...(r.object.metadata.labels ?? {}), 'kustomize.toolkit.fluxcd.io/name': ks.name, 'kustomize.toolkit.fluxcd.io/namespace': ks.namespace };
      r.chain.push({ file: ks.source.file, field: 'flux', nodePath: ks.source.nodePath });
    }
    if (unknownNames.size > 0) {
      builder.unresolved.push({ reason: `${[...unknownNames].sort().join(', ')}: ${ks.unknownVariables}`, source: { ...ks.source, nodePath: ['spec', 'postBuild', 'substituteFrom'] } });
    }
    return resources;
  });
  return result;
}
