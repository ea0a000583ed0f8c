// Walking a parsed object's values, for rules that read strings wherever they are written.
import type { NodePath } from './types';

/** Every string value below `value`, with its path (keys and list indexes). */
export function* stringLeaves(value: unknown, path: NodePath = []): Generator<[NodePath, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* stringLeaves(value[i], [...path, i]);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* stringLeaves(v, [...path, k]);
}

/** A SOPS `ENC[...]` value: ciphertext, never a name, a namespace, a path or a reference. */
export function isEncryptedValue(value: unknown): boolean {
  return typeof value === 'string' && /^ENC\[[A-Za-z0-9_]+,[^]*\]$/.test(value);
}

/**
 * A scalar read as an identifier (a kind, name, namespace, path or reference): its text, or
 * undefined when it is absent, not a scalar, or encrypted.
 */
export function identifierOf(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string' || isEncryptedValue(value)) return undefined;
  return value;
}
