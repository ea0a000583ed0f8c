// kustomization.yaml keys spelled as kustomize accepts them (see canonicalKustomization).
import { kustomizationSchema } from '../schema/builtin';

/**
 * A kustomization's fields as kustomize reads them. kustomize decodes kustomization.yaml through
 * Go's encoding/json, which matches field names case-insensitively (`apiversion:`, `Resources:`
 * are accepted), so keys are renamed to the schema's spelling at every level the schema knows;
 * maps of free keys (commonLabels) keep theirs. When two spellings of one field meet, the later
 * one wins, as in Go.
 */
export function canonicalKustomization(object: Record<string, unknown>): Record<string, unknown> {
  const { definitions } = kustomizationSchema();
  return canonicalize(object, { $ref: '#/definitions/Kustomization' }, definitions) as Record<string, unknown>;
}

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; oneOf?: Schema[]; anyOf?: Schema[]; allOf?: Schema[] };

function canonicalize(value: unknown, schema: Schema | undefined, definitions: Record<string, Schema>, depth = 0): unknown {
  if (!schema || depth > 12 || !value || typeof value !== 'object') return value;
  const resolved = schema.$ref ? definitions[schema.$ref.slice(schema.$ref.lastIndexOf('/') + 1)] : schema;
  if (!resolved) return value;
  if (Array.isArray(value)) return resolved.items ? value.map((item) => canonicalize(item, resolved.items, definitions, depth + 1)) : value;
  const properties: Record<string, Schema> = {};
  for (const branch of [resolved, ...(resolved.oneOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.allOf ?? [])]) {
    const target = branch.$ref ? definitions[branch.$ref.slice(branch.$ref.lastIndexOf('/') + 1)] : branch;
    Object.assign(properties, target?.properties ?? {});
  }
  const names = Object.keys(properties);
  if (names.length === 0) return value;
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  let changed = false;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = key in properties ? key : byLower.get(key.toLowerCase()) ?? key;
    const canonical = canonicalize(item, properties[name], definitions, depth + 1);
    if (name !== key || canonical !== item) changed = true;
    if (name !== key) delete result[name];
    result[name] = canonical;
  }
  return changed ? result : value;
}
