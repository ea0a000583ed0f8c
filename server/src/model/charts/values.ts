// A HelmRelease's values as helm-controller hands them to Helm: its `valuesFrom` entries in order
// (a ConfigMap's or Secret's key read as YAML and merged, or one value set at `targetPath`), then
// `spec.values` merged on top; Helm then coalesces the chart's defaults under them (a key the user
// sets to null is removed). What cannot be read here (a SOPS-encrypted Secret, an object not in the
// repository) is recorded, so a rule knows the values it sees may be incomplete.
import { parsePlainDocuments } from '../limits';
import { isEncryptedValue } from '../values';

/** A ConfigMap or Secret a valuesFrom entry names, as found for the release (or why not). */
export type ValuesObject = { object: any; encrypted?: boolean } | undefined;

export interface MergedValues {
  /** What Helm renders with: the chart's defaults coalesced under the supplied values. */
  values: Record<string, unknown>;
  /** The valuesFrom entries that were read, by index, with what each contributed. */
  fromEntries: { index: number; values: Record<string, unknown> }[];
  /** valuesFrom entries whose content is not known here, with the reason. */
  unknown: { index: number; reason: string }[];
}

/**
 * Merges as helm-controller does. `lookup` finds a valuesFrom object in the release's namespace
 * and clusters; `spec` is the HelmRelease's spec.
 */
export function mergeReleaseValues(spec: any, defaults: Record<string, unknown>, lookup: (kind: 'ConfigMap' | 'Secret', name: string) => ValuesObject): MergedValues {
  let supplied: Record<string, unknown> = {};
  const fromEntries: MergedValues['fromEntries'] = [];
  const unknown: MergedValues['unknown'] = [];
  const entries: unknown[] = Array.isArray(spec?.valuesFrom) ? spec.valuesFrom : [];
  entries.forEach((entry: any, index) => {
    const kind = entry?.kind;
    const name = entry?.name;
    if ((kind !== 'ConfigMap' && kind !== 'Secret') || typeof name !== 'string' || name.includes('${')) {
      unknown.push({ index, reason: 'the entry names no ConfigMap or Secret that can be read here' });
      return;
    }
    const found = lookup(kind, name);
    if (!found) {
      unknown.push({ index, reason: `${kind} ${name} is not found in the release's namespace and clusters` });
      return;
    }
    if (found.encrypted) {
      unknown.push({ index, reason: `${kind} ${name} is encrypted with SOPS` });
      return;
    }
    const key = typeof entry.valuesKey === 'string' && entry.valuesKey !== '' ? entry.valuesKey : 'values.yaml';
    const text = dataOf(found.object, kind, key);
    if (text === undefined) {
      // helm-controller fails on a missing key unless the entry is optional; either way no values here.
      unknown.push({ index, reason: `${kind} ${name} has no key ${key}` });
      return;
    }
    if (isEncryptedValue(text)) {
      unknown.push({ index, reason: `${kind} ${name} is encrypted with SOPS` });
      return;
    }
    let contributed: Record<string, unknown> | undefined;
    if (typeof entry.targetPath === 'string' && entry.targetPath !== '') {
      const path = simpleTargetPath(entry.targetPath);
      if (!path) {
        unknown.push({ index, reason: `targetPath ${entry.targetPath} is not read here` });
        return;
      }
      contributed = atPath(path, text);
    } else {
      const documents = parsePlainDocuments(text);
      const parsed = documents?.length === 1 ? documents[0] : documents?.length === 0 ? {} : undefined;
      if (!isPlainMap(parsed)) {
        unknown.push({ index, reason: `${kind} ${name} key ${key} is not a YAML map` });
        return;
      }
      contributed = parsed;
    }
    fromEntries.push({ index, values: contributed });
    supplied = mergeMaps(supplied, contributed);
  });
  if (isPlainMap(spec?.values)) supplied = mergeMaps(supplied, spec.values);
  return { values: coalesce(supplied, defaults), fromEntries, unknown };
}

function dataOf(object: any, kind: 'ConfigMap' | 'Secret', key: string): string | undefined {
  const plain = kind === 'Secret' ? object?.stringData?.[key] : undefined;
  if (typeof plain === 'string') return plain;
  const data = object?.data?.[key];
  if (typeof data !== 'string') return undefined;
  if (kind === 'ConfigMap' || isEncryptedValue(data)) return data;
  try {
    return Buffer.from(data, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

/** `a.b.c` (no escapes, no list indexes): the only targetPath forms read here. */
function simpleTargetPath(path: string): string[] | undefined {
  if (/[\\[\]=,]/.test(path)) return undefined;
  const steps = path.split('.');
  return steps.every((s) => s !== '') ? steps : undefined;
}

function atPath(path: string[], value: unknown): Record<string, unknown> {
  let out: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) out = { [path[i]]: out };
  return out as Record<string, unknown>;
}

export function isPlainMap(value: unknown): value is Record<string, any> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Flux's transform.MergeMaps: maps merge key by key, anything else from `b` replaces. */
export function mergeMaps(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const before = out[key];
    out[key] = isPlainMap(value) && isPlainMap(before) ? mergeMaps(before, value) : value;
  }
  return out;
}

/** Helm's coalescing of a chart's defaults under the supplied values; a supplied null removes the key. */
export function coalesce(supplied: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(supplied)) if (value !== null) out[key] = value;
  for (const [key, value] of Object.entries(defaults)) {
    if (key in supplied) {
      const mine = supplied[key];
      if (mine !== null && isPlainMap(mine) && isPlainMap(value)) out[key] = coalesce(mine, value);
      continue;
    }
    if (value !== null) out[key] = value;
  }
  return out;
}
