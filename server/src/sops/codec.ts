/**
 * Encrypts and decrypts whole trees with the data key and computes the MAC on the way,
 * exactly as sops' `Tree.Encrypt`/`Tree.Decrypt` do.
 */
import { decryptText, encryptScalar, encryptText, isEncryptedValue, typedScalar } from './cipher';
import { SopsError } from './errors';
import { macHex, newMacHash } from './mac';
import { scalarToText } from './scalars';
import { type Selection, shouldEncrypt } from './selection';
import { aadOf, displayPath, type SopsBranch, type SopsComment, type SopsScalar } from './tree';
import { walkBranch, type LeafContext } from './walk';

export interface CodecOptions {
  selection: Selection;
  macOnlyEncrypted: boolean;
  /** For messages only. */
  file: string;
}

/**
 * IVs of the values seen while decrypting, keyed by AAD, type and plaintext: re-encrypting an
 * unchanged value with the same key and IV gives the same ciphertext, so `sops edit`-style
 * saves only change the lines that were edited.
 */
export type IvStash = Map<string, Buffer>;

const stashKey = (aad: string, type: string, text: string) => `${aad}\u0000${type}\u0000${text}`;

function where(opts: CodecOptions, ctx: LeafContext, docs: number): string {
  const doc = docs > 1 ? `document ${ctx.document + 1}, ` : '';
  return `${opts.file}: ${doc}${ctx.isComment ? 'comment in ' : ''}${displayPath(ctx.location)}`;
}

export interface DecryptResult {
  branches: SopsBranch[];
  mac: string;
  /**
   * The MAC as sops < 3.10 computed it, when it differs: go-yaml then gave clear timestamps to
   * sops as their source text, not as times, so old files with clear dates still verify.
   */
  legacyMac?: string;
  stash: IvStash;
  /** Comments in encrypted positions that were left as they were (written by old sops). */
  warnings: string[];
}

export function decryptBranches(branches: SopsBranch[], dataKey: Uint8Array, opts: CodecOptions): DecryptResult {
  const hash = newMacHash(opts.macOnlyEncrypted);
  const legacyHash = newMacHash(opts.macOnlyEncrypted);
  let legacyDiffers = false;
  const stash: IvStash = new Map();
  const warnings: string[] = [];
  const out = branches.map((branch, document) =>
    walkBranch(
      branch,
      (leaf, ctx) => {
        const encrypted = shouldEncrypt(opts.selection, ctx.path, ctx.commentStack, ctx.isComment);
        const aad = aadOf(ctx.path);
        if (leaf.kind === 'comment') {
          if (!encrypted || leaf.text === '') return leaf;
          if (!isEncryptedValue(leaf.text)) {
            warnings.push(`${where(opts, ctx, branches.length)}: comment was not encrypted (old sops); kept as is`);
            return leaf;
          }
          try {
            const d = decryptText(leaf.text, dataKey, aad, where(opts, ctx, branches.length));
            stash.set(stashKey(aad, 'comment', d.text), d.iv);
            return { kind: 'comment', text: d.text };
          } catch {
            warnings.push(`${where(opts, ctx, branches.length)}: comment could not be decrypted; kept as is`);
            return leaf;
          }
        }
        let plain: SopsScalar = leaf;
        if (encrypted) {
          if (leaf.kind === 'str' && leaf.value === '') {
            plain = leaf;
          } else if (leaf.kind !== 'str' || !isEncryptedValue(leaf.value)) {
            throw new SopsError(
              'BAD_FORMAT',
              `${where(opts, ctx, branches.length)}: value in an encrypted position is not ENC[…] (the file is partially encrypted; re-encrypt it)`,
            );
          } else {
            const d = decryptText(leaf.value, dataKey, aad, where(opts, ctx, branches.length));
            plain = typedScalar(d.text, d.type, where(opts, ctx, branches.length));
            stash.set(stashKey(aad, plain.kind, scalarToText(plain)), d.iv);
          }
        }
        if (!opts.macOnlyEncrypted || encrypted) {
          hash.update(scalarToText(plain), 'utf8');
          const legacy = !encrypted && plain.kind === 'time' && plain.source !== undefined ? plain.source : scalarToText(plain);
          legacyDiffers ||= legacy !== scalarToText(plain);
          legacyHash.update(legacy, 'utf8');
        }
        return plain;
      },
      document,
    ),
  );
  return { branches: out, mac: macHex(hash), legacyMac: legacyDiffers ? macHex(legacyHash) : undefined, stash, warnings };
}

export function encryptBranches(branches: SopsBranch[], dataKey: Uint8Array, opts: CodecOptions, stash?: IvStash): { branches: SopsBranch[]; mac: string } {
  const hash = newMacHash(opts.macOnlyEncrypted);
  const out = branches.map((branch, document) =>
    walkBranch(
      branch,
      (leaf, ctx) => {
        const encrypted = shouldEncrypt(opts.selection, ctx.path, ctx.commentStack, ctx.isComment);
        const aad = aadOf(ctx.path);
        if (leaf.kind === 'comment') {
          // Like empty strings, empty comments are never encrypted (an empty ENC[] would not parse back).
          if (!encrypted || leaf.text === '') return leaf;
          const comment: SopsComment = { kind: 'comment', text: encryptText(leaf.text, 'comment', dataKey, aad, stash?.get(stashKey(aad, 'comment', leaf.text))) };
          return comment;
        }
        if (!opts.macOnlyEncrypted || encrypted) hash.update(scalarToText(leaf), 'utf8');
        if (!encrypted) return leaf;
        if (leaf.kind === 'str' && leaf.value === '') return leaf;
        const iv = stash?.get(stashKey(aad, leaf.kind, scalarToText(leaf)));
        return { kind: 'str', value: encryptScalar(leaf, dataKey, aad, iv) };
      },
      document,
    ),
  );
  return { branches: out, mac: macHex(hash) };
}

/**
 * Key paths of values that sit in encrypted positions but are not `ENC[…]` (hand-edited
 * plaintext, which sops refuses to decrypt). Only paths are returned, never values.
 */
export function findUnencryptedValues(branches: SopsBranch[], selection: Selection): string[] {
  const found: string[] = [];
  branches.forEach((branch, document) =>
    walkBranch(
      branch,
      (leaf, ctx) => {
        if (leaf.kind === 'comment') return leaf;
        if (!shouldEncrypt(selection, ctx.path, ctx.commentStack, false)) return leaf;
        if (leaf.kind === 'str' && (leaf.value === '' || isEncryptedValue(leaf.value))) return leaf;
        found.push((branches.length > 1 ? `[document ${document + 1}] ` : '') + displayPath(ctx.location));
        return leaf;
      },
      document,
    ),
  );
  return found;
}
