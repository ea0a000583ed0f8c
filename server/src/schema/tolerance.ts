// What a valid GitOps document may hold that its schema does not describe: SOPS metadata and
// ciphertext, Flux `${VAR}` substitutions, nulls (Kubernetes drops a null field) and YAML merge keys.
import { parseExpressions } from '../model/build/envsubst';
import { isEncryptedValue } from '../model/values';

/** A value that stands for another until Flux substitutes it or SOPS decrypts it. */
export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && (isEncryptedValue(value) || (value.includes('${') && parseExpressions(value).length > 0));
}

/** A copy of the document without the top-level `sops:` map and null map values, merge keys applied. */
export function prepareDocument(document: Record<string, unknown>): Record<string, unknown> {
  const copy = withoutNulls(document) as Record<string, unknown>;
  if (copy.sops && typeof copy.sops === 'object' && !Array.isArray(copy.sops)) delete copy.sops;
  return copy;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '<<') continue;
    if (item !== null && item !== undefined) out[key] = withoutNulls(item);
  }
  // A YAML 1.1 merge key, which Kubernetes' YAML reader honours: the map's own keys win.
  const merged = (value as Record<string, unknown>)['<<'];
  for (const source of Array.isArray(merged) ? merged : merged ? [merged] : []) {
    if (!source || typeof source !== 'object' || Array.isArray(source)) continue;
    for (const [key, item] of Object.entries(source)) {
      if (!(key in out) && item !== null && item !== undefined) out[key] = withoutNulls(item);
    }
  }
  return out;
}

/** The value at a document path, or undefined. */
export function valueAt(document: unknown, path: ReadonlyArray<string | number>): unknown {
  let current: any = document;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = current[step];
  }
  return current;
}
