import { isMap, isScalar, isSeq, stringify, type Node } from 'yaml';
import type { RepoModel } from '../model/model';
import { isKustomizationFileName } from '../model/parse';
import { nodeAt, nodeOffsets, pairAt, positionAt, rangeFromOffsets } from '../model/positions';
import type { Resource } from '../model/types';
import { deprecatedKustomizeFields, type DeprecatedKustomizeField } from '../schema/index';
import { deadFiles } from './schema-invalid';
import { registryFor } from '../model/schemas';
import type { Fix, Rule, RuleFinding, TextEdit } from './types';

export const schemaDeprecatedApi: Rule = {
  id: 'schema/deprecated-api',
  defaultSeverity: 'warning',
  description: 'A removed or deprecated apiVersion (e.g. helm.toolkit.fluxcd.io/v2beta1), or a deprecated kustomize field.',
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
    if (model.graph.patchFiles.has(file.path)) return findings;
    for (const resource of file.resources) {
      if (skip(resource.file)) continue;
      if (resource.apiVersion && resource.kind) {
        const deprecation = registry.deprecation(resource.apiVersion, resource.kind);
        if (deprecation) {
          const range = model.rangeOf(resource, ['apiVersion']);
          const fixes: Fix[] = deprecation.replacement
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

