/**
 * Which leaves and comments are encrypted: exactly one of sops' six selection options,
 * tested against each mapping key of the path (never the joined path, never the value).
 */
import { SopsError } from './errors';
import { goRegex } from './goRegex';

export const SELECTION_KEYS = [
  'unencrypted_suffix',
  'encrypted_suffix',
  'unencrypted_regex',
  'encrypted_regex',
  'unencrypted_comment_regex',
  'encrypted_comment_regex',
] as const;

export type SelectionKey = (typeof SELECTION_KEYS)[number];

export interface Selection {
  key: SelectionKey;
  value: string;
}

/** sops' default when a file or rule names none of the six options. */
export const DEFAULT_SELECTION: Selection = { key: 'unencrypted_suffix', value: '_unencrypted' };

/** Reads the selection option of a creation rule or metadata block; two or more is an error, as in sops. */
export function selectionFrom(record: Record<string, unknown>, where: string): Selection {
  const present = SELECTION_KEYS.filter((k) => typeof record[k] === 'string' && record[k] !== '');
  if (present.length > 1) {
    throw new SopsError('CONFIG', `${where}: only one of ${present.join(', ')} may be set`);
  }
  if (present.length === 0) return DEFAULT_SELECTION;
  const key = present[0];
  const value = record[key] as string;
  if (key.endsWith('regex')) goRegex(value);
  return { key, value };
}

/**
 * Decides for one leaf or comment. `commentStack` holds, per nesting level, the comments that
 * directly precede the current item; `isComment` skips the comment's own line for
 * `encrypted_comment_regex` (the marker comment itself stays clear).
 */
export function shouldEncrypt(selection: Selection, path: readonly string[], commentStack: readonly (readonly string[])[], isComment: boolean): boolean {
  const { key, value } = selection;
  switch (key) {
    case 'unencrypted_suffix':
      return !path.some((p) => p.endsWith(value));
    case 'encrypted_suffix':
      return path.some((p) => p.endsWith(value));
    case 'unencrypted_regex':
      return !path.some((p) => goRegex(value).test(p));
    case 'encrypted_regex':
      return path.some((p) => goRegex(value).test(p));
    case 'unencrypted_comment_regex':
      return !commentStack.some((level) => level.some((c) => goRegex(value).test(c)));
    case 'encrypted_comment_regex': {
      const last = commentStack.length - 1;
      return commentStack.some((level, i) =>
        level.some((c, j) => !(isComment && i === last && j === level.length - 1) && goRegex(value).test(c)),
      );
    }
  }
}
