import { isMap, isScalar, parseAllDocuments } from 'yaml';
import type { RepoModel } from '../model/model';
import { isKustomizationFileName } from '../model/parse';
import { findKustomizationFile } from '../model/kustomize';
import { plainValue } from '../model/limits';
import { ancestors, dirname, joinRepoPath } from '../model/paths';
import { computeLineStarts, nodeAt, positionAt, rangeAtPath } from '../model/positions';
import type { NodePath, Position, Range, Resource, YamlFile } from '../model/types';
import { registryFor } from '../model/schemas';
import { type SchemaRegistry, type SchemaProblem, type ValidateOptions, type ValidationResult } from '../schema/index';
import type { Rule, RuleFinding } from './types';

export const schemaInvalid: Rule = {
  id: 'schema/invalid',
  defaultSeverity: 'error',
  description: 'A document that fails its schema (Kubernetes 1.34, kustomization.yaml, Flux, the CRDs in the repository and those of resolved charts, and a bundled snapshot of common operators\' CRDs).',
  help:
    'The API server refuses an object with an unknown field, a value of the wrong type or a missing required field, and the Flux Kustomization that applies it fails as a whole. Kinds come from Kubernetes 1.34, kustomize, and the CustomResourceDefinitions found in the repository (Flux\'s own from a bundled copy when the repository has none; external-secrets, cert-manager, prometheus-operator, Gateway API, KEDA, Istio, Grafana operator, CloudNativePG, VolSync, Dragonfly and volume snapshots from a bundled snapshot, where only misplaced fields and wrong types are errors, since the snapshot may not be the operator release the cluster runs). Flux `${VAR}` substitutions, SOPS `ENC[...]` values and HelmRelease values are not judged; kustomize patches are checked without required fields. A kind without any schema is reported once, as information, and so is what the bundled snapshot may not know: one finding per message, the other documents as related locations.',
  fix: '—',
  check(model) {
    const registry = registryFor(model);
    const skip = deadFiles(model);
    // Only the files changed since the last check are validated again (the registry changes with the graph only).
    const { byPath, version } = model.queries.perFile('schema/invalid', [model.graph], (file) => (skip(file.path) ? NOTHING : fileResultCached(model, registry, file)), (r) => r.findings.length === 0 && r.unknown.length === 0);
    // Joined again only when some file's result went from or to non-empty.
    return model.queries.get('schema/invalid all', 'all', [version], () => joinResults(model, registry, byPath));
  },
};

/** Every file's findings, and one finding per kind no schema knows (or known in another API group). */
function joinResults(model: RepoModel, registry: SchemaRegistry, byPath: ReadonlyMap<string, FileResult>): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const unknown = new Map<string, Resource>();
    const wrongApiVersion = new Map<string, Resource[]>();
    // What the bundled snapshot may not know (information) has one cause per message, the operator
    // release it was made from: said once, at the first document, the others related.
    const uncertain = new Map<string, RuleFinding[]>();
    for (const result of byPath.values()) {
      for (const finding of result.findings) {
        if (finding.severity === 'information') uncertain.set(finding.message, [...(uncertain.get(finding.message) ?? []), finding]);
        else findings.push(finding);
      }
      for (const [kind, resource] of result.unknown) {
        if (!unknown.has(kind)) unknown.set(kind, resource);
        wrongApiVersion.set(kind, [...(wrongApiVersion.get(kind) ?? []), resource]);
      }
    }
    for (const [message, group] of uncertain) {
      if (group.length === 1) {
        findings.push(group[0]);
        continue;
      }
      group.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line);
      const [first, ...rest] = group;
      findings.push({
        ...first,
        message: `In ${group.length} documents (this one and ${rest.length} related): ${message}`,
        related: rest.map((f) => ({ file: f.file, range: f.range, message: 'The same problem' })),
      });
    }
    for (const [kind, resource] of unknown) {
      // A kind written in the wrong one of the API groups we know is an error of its own, at every
      // document. (Kind names are not unique across groups: a kind of an unknown group, such as
      // Knative's Service, is not judged; the right group at another version may be newer than we know.)
      const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');
      const known = registry.apiVersionsOf(resource.kind);
      const current = known.filter((v) => !registry.deprecation(v, resource.kind));
      const elsewhere = current.length ? current : known;
      const misplaced = registry.isKnownGroup(resource.apiVersion) && !elsewhere.some((v) => groupOf(v) === groupOf(resource.apiVersion));
      if (elsewhere.length > 0 && misplaced) {
        for (const r of wrongApiVersion.get(kind) ?? [resource]) {
          findings.push({
            file: r.file,
            range: model.rangeOf(r, ['apiVersion']),
            message: `${r.kind} is not served by ${r.apiVersion}; use ${elsewhere.join(' or ')}`,
          });
        }
        continue;
      }
      const why = registry.isKubernetesGroup(resource.apiVersion)
        ? 'Kubernetes 1.34 does not serve it as a stable or beta API'
        : 'its CustomResourceDefinition is not in this repository';
      findings.push({
        file: resource.file,
        range: model.rangeOf(resource, ['kind']),
        severity: 'information',
        message: `No schema is known for ${kind}: ${why}, so documents of this kind are not validated.`,
      });
    }
    return findings;
}

const NOTHING: FileResult = { findings: [], unknown: [] };

interface FileResult {
  findings: RuleFinding[];
  /** Documents whose kind has no schema, by kind. */
  unknown: [string, Resource][];
}

/**
 * One file's problems, kept while the file, the registry and what the derived graph says of the
 * file (a patch file or not; whether each document's required fields may come from above) are the
 * same: a rebuilt graph that says the same of the file does not validate it again.
 */
function fileResultCached(model: RepoModel, registry: SchemaRegistry, file: YamlFile): FileResult {
  const isPatch = model.graph.patchFiles.has(file.path);
  const fromAbove = file.resources.map((resource) => requiredComesFromAbove(model, resource));
  return model.queries.get('schema/invalid file', file, [registry, `${isPatch} ${fromAbove.map(Number).join('')}`], () => fileResult(model, registry, file, isPatch, fromAbove));
}

function fileResult(model: RepoModel, registry: SchemaRegistry, file: YamlFile, isPatch: boolean, fromAbove: readonly boolean[]): FileResult {
  const result: FileResult = { findings: [], unknown: [] };
  for (const [i, resource] of file.resources.entries()) {
    const options: ValidateOptions = {
      isPatch,
      isKustomization: isKustomizationFileName(file.path),
      ignoreRequired: fromAbove[i],
    };
    const validation = validateCached(model, registry, resource, options);
    if (!Array.isArray(validation)) {
      if (!isPatch && !registry.deprecation(resource.apiVersion, resource.kind)) result.unknown.push([validation.unknownKind, resource]);
      continue;
    }
    for (const problem of validation) {
      result.findings.push({
        file: file.path,
        range: model.rangeOf(resource, ...anchor(resource, problem)),
        message: problem.message,
        ...(problem.uncertain ? { severity: 'information' as const } : {}),
      });
    }
    if (!isPatch) result.findings.push(...inlinePatchesCached(model, registry, resource));
  }
  return result;
}

/**
 * Where a problem reads best: a problem of the whole document at its kind, one of a list item
 * (a missing required field) at the item's first key rather than across the whole item.
 */
function anchor(resource: Resource, problem: SchemaProblem): [NodePath, 'key' | 'value'] {
  if (problem.path.length === 0) return [['kind'], 'value'];
  if (problem.target === 'key' && typeof problem.path[problem.path.length - 1] === 'number') {
    let item: any = resource.object;
    for (const step of problem.path) item = item?.[step];
    const first = item && typeof item === 'object' && !Array.isArray(item) ? Object.keys(item)[0] : undefined;
    if (first !== undefined) return [[...problem.path, first], 'key'];
  }
  return [problem.path, problem.target];
}

/** A document's object is replaced when its file changes, so results are kept per object. */
function validateCached(model: RepoModel, registry: SchemaRegistry, resource: Resource, options: ValidateOptions): ValidationResult {
  if (!resource.object || typeof resource.object !== 'object') return registry.validate(resource.object, options);
  return model.queries.get('schema/invalid validation', resource.object, [registry, JSON.stringify(options)], () => registry.validate(resource.object, options));
}

/**
 * Files not to lint as live: those no cluster applies (when the repository has clusters at all),
 * and Helm chart templates, which are Go templates.
 */
export function deadFiles(model: RepoModel): (path: string) => boolean {
  return model.queries.get('dead files', 'all', [model.graph], () => deadFilesOf(model));
}

function deadFilesOf(model: RepoModel): (path: string) => boolean {
  const unreachable = new Set(model.graph.clusters.length > 0 ? model.graph.unreachable : []);
  return (path) => {
    if (unreachable.has(path)) return true;
    // Without clusters, a manifest under a kustomize folder whose kustomization does not list it
    // (and no other does) is not known to be applied: kustomize builds only what it lists.
    if (model.fileKind(path)?.kind === 'unapplied' && ancestors(path).some((folder) => findKustomizationFile(model, folder) !== undefined)) return true;
    const template = /^(.*?)\/?templates\//.exec(path);
    return template !== null && model.kindOf(joinRepoPath(template[1], 'Chart.yaml') ?? '') === 'file';
  };
}

/**
 * Whether fields the schema requires may be filled in from above: a Flux Kustomization that
 * applies the file patches its kind (e.g. interval and prune of every child Kustomization), or the
 * folder's kustomization patches its kind or creates selectors (commonLabels).
 */
function requiredComesFromAbove(model: RepoModel, resource: Resource): boolean {
  const patchesKind = (patches: unknown) =>
    Array.isArray(patches) &&
    patches.some((p: any) => {
      if (typeof p === 'string') return new RegExp(`^\\s*kind:\\s*${resource.kind}\\s*$`, 'm').test(p);
      if (!p || typeof p !== 'object') return false;
      if (p.target?.kind === resource.kind) return true;
      return typeof p.patch === 'string' && new RegExp(`^\\s*kind:\\s*${resource.kind}\\s*$`, 'm').test(p.patch);
    });
  for (const ks of model.graph.appliedBy.get(resource.file) ?? []) {
    // Its own patches, or those its parent's spec.patches give it.
    if (patchesKind(ks.resource.object?.spec?.patches) || patchesKind(ks.inheritedSpec?.patches)) return true;
  }
  const folder = dirname(resource.file);
  const kustomization = model.graph.kustomizeDirs.get(folder)?.resource?.object;
  if (kustomization && typeof kustomization === 'object') {
    if (kustomization.commonLabels) return true;
    if (Array.isArray(kustomization.labels) && kustomization.labels.some((l: any) => l?.includeSelectors)) return true;
    if (patchesKind(kustomization.patches)) return true;
    // A patch file names its kind itself.
    const files = [
      ...(Array.isArray(kustomization.patches) ? kustomization.patches.map((p: any) => p?.path) : []),
      ...(Array.isArray(kustomization.patchesStrategicMerge) ? kustomization.patchesStrategicMerge : []),
    ].filter((p): p is string => typeof p === 'string' && !p.includes('\n'));
    for (const p of files) {
      const patch = model.file(joinRepoPath(folder, p) ?? '');
      if (patch?.resources.some((r) => r.kind === resource.kind)) return true;
    }
  }
  return false;
}

function inlinePatchesCached(model: RepoModel, registry: SchemaRegistry, resource: Resource): RuleFinding[] {
  if (!resource.object || typeof resource.object !== 'object') return [];
  return model.queries.get('schema/invalid inline patches', resource.object, [registry], () => inlinePatchFindings(model, registry, resource));
}

/**
 * The entries of the patch lists a document carries (Flux Kustomization spec.patches, a
 * kustomization.yaml's patches, HelmRelease post-renderers), `lists` naming which list fields,
 * each with its path.
 */
export function patchEntries(resource: Resource, lists: readonly string[]): { path: NodePath; entry: any }[] {
  const o = resource.object;
  const at: NodePath[] = [];
  if (resource.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) at.push(...lists.map((l) => ['spec', l]));
  else if (isKustomizationFileName(resource.file) && (!resource.apiVersion || resource.apiVersion.startsWith('kustomize.config.k8s.io/'))) at.push(...lists.map((l) => [l]));
  else if (resource.apiVersion.startsWith('helm.toolkit.fluxcd.io/') && Array.isArray(o?.spec?.postRenderers)) {
    o.spec.postRenderers.forEach((_: unknown, i: number) => at.push(...lists.map((l) => ['spec', 'postRenderers', i, 'kustomize', l])));
  }
  const out: { path: NodePath; entry: any }[] = [];
  for (const list of at) {
    let value: any = o;
    for (const step of list) value = value?.[step];
    if (Array.isArray(value)) value.forEach((entry: any, i: number) => out.push({ path: [...list, i], entry }));
  }
  return out;
}

/** Where inline patches sit: Flux Kustomization, kustomization.yaml, HelmRelease post-renderers. */
export function inlinePatchPaths(resource: Resource): NodePath[] {
  return patchEntries(resource, ['patches']).filter(({ entry }) => typeof entry?.patch === 'string').map(({ path }) => [...path, 'patch']);
}

/**
 * Strategic-merge patches written inline as a block string are validated as patches, and their
 * problems placed on the exact line inside the block.
 */
function inlinePatchFindings(model: RepoModel, registry: SchemaRegistry, resource: Resource): RuleFinding[] {
  const findings: RuleFinding[] = [];
  // Most documents have no inline patch: their documents need not be parsed (they may be lazy).
  const paths = inlinePatchPaths(resource);
  if (paths.length === 0) return findings;
  const file = model.file(resource.file);
  const doc = file?.documents[resource.index];
  if (!file || !doc) return findings;
  for (const path of paths) {
    let text: any = resource.object;
    for (const step of path) text = text?.[step];
    let documents;
    try {
      documents = parseAllDocuments(text as string, { logLevel: 'error' });
    } catch {
      continue;
    }
    const node = nodeAt(doc, path);
    const block = isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node.range ? node : undefined;
    const innerStarts = computeLineStarts(text as string);
    for (const inner of Array.isArray(documents) ? documents : [documents]) {
      if (inner.errors.length || !isMap(inner.contents)) continue;
      const object = plainValue(inner);
      if (object === undefined) continue;
      const result = registry.validate(object, { isPatch: true });
      if (!Array.isArray(result)) continue;
      for (const problem of result) {
        const innerRange = block && block.type === 'BLOCK_LITERAL' ? rangeAtPath(innerStarts, inner, problem.path, problem.target) : undefined;
        const range = innerRange ? shiftIntoBlock(file.text, file.lineStarts, block!.range![0], innerRange) : model.rangeOf(resource, path);
        findings.push({
          file: resource.file,
          range: range ?? model.rangeOf(resource, path),
          message: `In this patch: ${problem.message}`,
          ...(problem.uncertain ? { severity: 'information' as const } : {}),
        });
      }
    }
  }
  return findings;
}

/** A range inside a literal block's content, moved to where that content sits in the file. */
export function shiftIntoBlock(text: string, lineStarts: number[], blockStart: number, inner: Range): Range | undefined {
  const header = positionAt(lineStarts, blockStart).line;
  // The block's indentation is that of its first non-empty content line.
  let indent: number | undefined;
  for (let line = header + 1; line < lineStarts.length && indent === undefined; line++) {
    const content = text.slice(lineStarts[line], line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length);
    if (content.trim()) indent = /^ */.exec(content)![0].length;
  }
  if (indent === undefined) return undefined;
  const move = (p: Position): Position => ({ line: header + 1 + p.line, character: indent! + p.character });
  return { start: move(inner.start), end: move(inner.end) };
}
