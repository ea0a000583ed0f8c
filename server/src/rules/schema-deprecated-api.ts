import { isMap, isScalar, isSeq, parseAllDocuments, stringify, type Node } from 'yaml';
import type { RepoModel } from '../model/model';
import { isKustomizationFileName } from '../model/parse';
import { computeLineStarts, nodeAt, nodeOffsets, pairAt, positionAt, rangeAtPath, rangeFromOffsets } from '../model/positions';
import { plainValue } from '../model/limits';
import type { NodePath, Range, Resource } from '../model/types';
import { deprecatedKustomizeFields, type DeprecatedKustomizeField } from '../schema/index';
import { deadFiles, inlinePatchPaths, patchEntries, shiftIntoBlock } from './schema-invalid';
import { registryFor } from '../model/schemas';
import type { Fix, Rule, RuleFinding, TextEdit } from './types';

export const schemaDeprecatedApi: Rule = {
  id: 'schema/deprecated-api',
  defaultSeverity: 'warning',
  description: 'A removed or deprecated apiVersion (e.g. helm.toolkit.fluxcd.io/v2beta1, or a version its CRD deprecates) in a manifest, a patch or a patch target, or a deprecated kustomize field.',
  help:
    'Kubernetes and Flux stop serving beta API versions some releases after their successor is out; a manifest that still uses one fails to apply after the upgrade. kustomize keeps reading its deprecated fields (bases, commonLabels, patchesStrategicMerge, patchesJson6902, vars) but warns and will drop them. The quick fix bumps the apiVersion (check the fields the new version renamed) or rewrites the kustomize field.',
  fix: 'Bump the apiVersion; rewrite bases, patchesJson6902, patchesStrategicMerge and commonLabels mechanically.',
  scope: 'file',
  check(model) {
    return [...model.files.values()].flatMap((file) => schemaDeprecatedApi.checkFile!(model, file));
  },
  // One file at a time, so the engine reuses the findings of unchanged files.
  checkFile(model, file) {
    const findings: RuleFinding[] = [];
    const registry = registryFor(model);
    const skip = deadFiles(model);
    // A patch file's apiVersion is what kustomize matches its objects by: a deprecated one there
    // is written in the patch, and bumped only where the new version's schema takes the patch as is.
    const isPatch = model.graph.patchFiles.has(file.path);
    for (const resource of file.resources) {
      if (skip(resource.file)) continue;
      if (isPatch) {
        if (resource.apiVersion && resource.kind) findings.push(...patchDeprecation(model, resource, ['apiVersion']));
        continue;
      }
      findings.push(...inlinePatchDeprecations(model, resource), ...targetDeprecations(model, resource));
      if (resource.apiVersion && resource.kind) {
        const deprecation = registry.deprecation(resource.apiVersion, resource.kind);
        if (deprecation) {
          const range = model.rangeOf(resource, ['apiVersion']);
          // A version a CRD deprecates is bumped only where the new version's schema takes the object as is.
          const fixes: Fix[] = deprecation.fromCustomResourceDefinition
            ? bumpIfUnchanged(model, resource.object, deprecation.replacement, resource.file, range, false)
            : deprecation.replacement
            ? [{
                title: `Change apiVersion to ${deprecation.replacement}`,
                changes: [{ kind: 'edit', file: resource.file, edits: [{ range, newText: deprecation.replacement }] }],
                // A new version may rename fields: schema/invalid shows what is left to change.
                safe: false,
                preferred: true,
              }]
            : [];
          findings.push({ file: resource.file, range, message: deprecation.message, fixes });
        }
      }
      if (isKustomizationFileName(resource.file) && (!resource.apiVersion || resource.apiVersion.startsWith('kustomize.config.k8s.io/'))) {
        for (const field of deprecatedKustomizeFields(resource.object)) {
          const fix = kustomizeRewrite(model, resource, field);
          findings.push({
            file: resource.file,
            range: model.rangeOf(resource, [field.field], 'key'),
            message: `kustomize field "${field.field}" is deprecated; use "${field.replacement}". ${field.rewrite}`,
            fixes: fix ? [fix] : [],
          });
        }
      }
    }
    return findings;
  },
};

/** The mechanical rewrite of a deprecated kustomize field, where it needs no judgement. */
function kustomizeRewrite(model: RepoModel, resource: Resource, field: DeprecatedKustomizeField): Fix | undefined {
  const file = model.file(resource.file);
  const doc = file?.documents[resource.index];
  const pair = doc && pairAt(doc, [field.field]);
  const key = pair?.key as Node | undefined;
  if (!file || !doc || !pair || !key?.range) return undefined;
  // Merging into an existing list of the new field is left to a person.
  if (Object.prototype.hasOwnProperty.call(resource.object, field.replacement)) return undefined;
  const keyRange = rangeFromOffsets(file.lineStarts, key.range[0], key.range[1]);
  const edits: TextEdit[] = [];
  const value = nodeAt(doc, [field.field]);
  switch (field.field) {
    case 'bases':
    case 'patchesJson6902':
      edits.push({ range: keyRange, newText: field.replacement });
      break;
    case 'patchesStrategicMerge': {
      if (!isSeq(value)) return undefined;
      edits.push({ range: keyRange, newText: 'patches' });
      for (const item of value.items) {
        // Inline patches (block strings) need re-indenting: left to a person.
        if (!isScalar(item) || typeof item.value !== 'string' || item.value.includes('\n') || !item.range) return undefined;
        const at = positionAt(file.lineStarts, item.range[0]);
        edits.push({ range: { start: at, end: at }, newText: 'path: ' });
      }
      break;
    }
    case 'commonLabels': {
      if (!isMap(value) || !value.range) return undefined;
      const indent = ' '.repeat(keyRange.start.character);
      const labels = stringify({ labels: [{ pairs: resource.object.commonLabels, includeSelectors: true }] }).trimEnd();
      const text = labels.split('\n').map((line, i) => (i === 0 ? line : indent + line)).join('\n');
      const end = positionAt(file.lineStarts, Math.max(key.range[0], nodeOffsets(value)![1]));
      edits.push({ range: { start: keyRange.start, end }, newText: text });
      break;
    }
    default:
      return undefined;
  }
  return {
    title: `Rewrite ${field.field} as ${field.replacement}`,
    changes: [{ kind: 'edit', file: resource.file, edits }],
    safe: true,
    preferred: true,
  };
}


/**
 * The bump of a deprecated apiVersion, offered only where the new version's schema accepts the
 * object (or patch) unchanged: a renamed or moved field would make the bumped object wrong.
 */
function bumpIfUnchanged(model: RepoModel, object: unknown, replacement: string | undefined, file: string, range: Range, isPatch = true): Fix[] {
  if (!replacement || !object || typeof object !== 'object') return [];
  const registry = registryFor(model);
  const bumped = { ...(object as Record<string, unknown>), apiVersion: replacement };
  const result = registry.validate(bumped, { isPatch, ignoreRequired: isPatch });
  if (!Array.isArray(result) || result.length > 0) return [];
  return [{
    title: `Change apiVersion to ${replacement}`,
    changes: [{ kind: 'edit', file, edits: [{ range, newText: replacement }] }],
    safe: false,
    preferred: true,
  }];
}

/** A strategic-merge patch file written at a deprecated apiVersion. */
function patchDeprecation(model: RepoModel, resource: Resource, path: NodePath): RuleFinding[] {
  const deprecation = registryFor(model).deprecation(resource.apiVersion, resource.kind);
  if (!deprecation) return [];
  const range = model.rangeOf(resource, path);
  return [{
    file: resource.file,
    range,
    message: `In this patch: ${deprecation.message}`,
    fixes: bumpIfUnchanged(model, resource.object, deprecation.replacement, resource.file, range),
  }];
}

/** Inline strategic-merge patches (Flux spec.patches, kustomization patches, post-renderers) at a deprecated apiVersion. */
function inlinePatchDeprecations(model: RepoModel, resource: Resource): RuleFinding[] {
  const paths = inlinePatchPaths(resource);
  if (paths.length === 0) return [];
  const file = model.file(resource.file);
  const doc = file?.documents[resource.index];
  if (!file || !doc) return [];
  const registry = registryFor(model);
  const findings: RuleFinding[] = [];
  for (const path of paths) {
    let text: any = resource.object;
    for (const step of path) text = text?.[step];
    if (typeof text !== 'string' || !/apiVersion/.test(text)) continue;
    let documents;
    try {
      documents = parseAllDocuments(text, { logLevel: 'error' });
    } catch {
      continue;
    }
    const node = nodeAt(doc, path);
    const block = isScalar(node) && node.type === 'BLOCK_LITERAL' && node.range ? node : undefined;
    const innerStarts = computeLineStarts(text);
    for (const inner of Array.isArray(documents) ? documents : [documents]) {
      if (inner.errors.length || !isMap(inner.contents)) continue;
      const object = plainValue(inner) as Record<string, unknown> | undefined;
      if (!object || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') continue;
      const deprecation = registry.deprecation(object.apiVersion, object.kind);
      if (!deprecation) continue;
      const innerRange = block ? rangeAtPath(innerStarts, inner, ['apiVersion'], 'value') : undefined;
      const exact = innerRange ? shiftIntoBlock(file.text, file.lineStarts, block!.range![0], innerRange) : undefined;
      findings.push({
        file: resource.file,
        range: exact ?? model.rangeOf(resource, path),
        message: `In this patch: ${deprecation.message}`,
        // Only an exact range can be edited.
        fixes: exact ? bumpIfUnchanged(model, object, deprecation.replacement, resource.file, exact) : [],
      });
    }
  }
  return findings;
}

/** Where patch targets sit: kustomization patches and patchesJson6902, Flux spec.patches, post-renderers. */
function patchTargetPaths(resource: Resource): NodePath[] {
  return patchEntries(resource, ['patches', 'patchesJson6902'])
    .filter(({ entry }) => entry?.target && typeof entry.target === 'object' && typeof entry.target.version === 'string')
    .map(({ path }) => [...path, 'target']);
}

/**
 * A patch target that selects a deprecated version (`version: v2beta1` of `group:
 * helm.toolkit.fluxcd.io`): it matches only objects still written at that version. The fix moves
 * the selector to the new version; the objects it patched must move too, so it is never unattended.
 */
function targetDeprecations(model: RepoModel, resource: Resource): RuleFinding[] {
  const paths = patchTargetPaths(resource);
  if (paths.length === 0) return [];
  const registry = registryFor(model);
  const findings: RuleFinding[] = [];
  for (const path of paths) {
    let target: any = resource.object;
    for (const step of path) target = target?.[step];
    const group = typeof target.group === 'string' ? target.group : '';
    const version: string = target.version;
    const kind = typeof target.kind === 'string' ? target.kind : '';
    if (!version || /[*^$|()[\]]/.test(version + group)) continue;
    const apiVersion = group ? `${group}/${version}` : version;
    const deprecation = registry.deprecation(apiVersion, kind);
    if (!deprecation) continue;
    const range = model.rangeOf(resource, [...path, 'version']);
    const fixes: Fix[] = [];
    const replacement = deprecation.replacement;
    if (replacement) {
      const slash = replacement.lastIndexOf('/');
      const [newGroup, newVersion] = slash < 0 ? ['', replacement] : [replacement.slice(0, slash), replacement.slice(slash + 1)];
      const edits: TextEdit[] = [{ range, newText: newVersion }];
      if (newGroup !== group) {
        if (typeof target.group === 'string') edits.push({ range: model.rangeOf(resource, [...path, 'group']), newText: newGroup });
        else edits.length = 0;
      }
      if (edits.length > 0) {
        fixes.push({
          title: `Change the target to ${replacement}`,
          changes: [{ kind: 'edit', file: resource.file, edits }],
          safe: false,
          preferred: true,
        });
      }
    }
    findings.push({
      file: resource.file,
      range,
      message: `Patch target: ${deprecation.message}; objects written at the new version do not match this target, and kustomize drops a patch that matches nothing.`,
      fixes,
    });
  }
  return findings;
}
