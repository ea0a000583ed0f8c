// Walking a parsed object's values, for rules that read strings wherever they are written.
import type { NodePath } from './types';

/** Every string value below `value`, with its path (keys and list indexes). */
export function* stringLeaves(value: unknown, path: NodePath = []): Generator<[NodePath, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* stringLeaves(value[i], [...path, i]);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* stringLeaves(v, [...path, k]);
}
