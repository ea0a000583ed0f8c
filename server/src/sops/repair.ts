/**
 * Repairing a partially encrypted file (a value typed in clear over an `ENC[…]` by hand): the
 * data key still opens from the age stanzas, so the clear values are encrypted with it, every
 * other ciphertext stays byte for byte, and the MAC is computed afresh. The old MAC cannot be
 * verified (it covers the values before the hand edit), which is why this runs only when the
 * file really has clear values in encrypted positions; otherwise the MAC is verified as usual.
 */
import { unwrapDataKey } from './age';
import { loadIdentities, noIdentityError } from './ageKeys';
import { encryptScalar, encryptText, isEncryptedValue } from './cipher';
import { decryptBranches } from './codec';
import { decryptFile, decryptWithDataKey, label, type KeyOptions } from './decrypt';
import { emitFile, parseFile } from './document';
import { SopsError } from './errors';
import { type AnyFormat, resolveFormat } from './format';
import { encryptMac, lastModifiedNow } from './mac';
import { readMetadata, SOPS_FORMAT_VERSION, type SopsMetadata, writeMetadata } from './metadata';
import { shouldEncrypt } from './selection';
import { aadOf, displayPath, type SopsMapping } from './tree';
import { walkBranch } from './walk';

export interface RepairOptions extends KeyOptions {
  format?: AnyFormat;
  filePath?: string;
  /** For tests: the time written as `lastmodified`. */
  now?: Date;
}

export interface RepairResult {
  text: string;
  /** Key paths of the values that were in clear and are now encrypted (never the values). */
  repaired: string[];
}

/** Encrypts the clear leaves in encrypted positions in place, leaving every `ENC[…]` as it is. */
function encryptClearLeaves(branches: SopsMapping[], meta: SopsMetadata, dataKey: Uint8Array): { branches: SopsMapping[]; repaired: string[] } {
  const repaired: string[] = [];
  const out = branches.map((branch, document) =>
    walkBranch(
      branch,
      (leaf, ctx) => {
        if (!shouldEncrypt(meta.selection, ctx.path, ctx.commentStack, ctx.isComment)) return leaf;
        const aad = aadOf(ctx.path);
        if (leaf.kind === 'comment') {
          if (leaf.text === '' || isEncryptedValue(leaf.text)) return leaf;
          return { kind: 'comment', text: encryptText(leaf.text, 'comment', dataKey, aad) };
        }
        if (leaf.kind === 'str' && (leaf.value === '' || isEncryptedValue(leaf.value))) return leaf;
        repaired.push((branches.length > 1 ? `[document ${document + 1}] ` : '') + displayPath(ctx.location));
        return { kind: 'str', value: encryptScalar(leaf, dataKey, aad) };
      },
      document,
    ),
  );
  return { branches: out, repaired };
}

/**
 * Re-encrypts a hand-edited sops file: clear values in encrypted positions are encrypted with
 * the file's own data key, the other ciphertexts and the age stanzas are kept, and the MAC is
 * recomputed. A file without clear values is only verified (MAC included) and returned as is.
 */
export async function repairPartiallyEncrypted(text: string, options: RepairOptions = {}): Promise<RepairResult> {
  const file = label(options.filePath);
  const format = resolveFormat(text, options.filePath, options.format);
  if (format !== 'yaml' && format !== 'json') throw new SopsError('UNSUPPORTED', `${file}: only YAML and JSON sops files can be re-encrypted in place`);
  const parsed = parseFile(text, format, file);
  if (!parsed.metadata) throw new SopsError('NOT_ENCRYPTED', `${file}: not a sops file (no top-level sops key)`);
  const meta = readMetadata(parsed.metadata, file);
  if (meta.keyGroups || meta.age.length === 0) {
    throw new SopsError('UNSUPPORTED', `${file}: the data key is not wrapped for age alone; repair it with the sops binary (sops --ignore-mac edit)`);
  }
  const { identities, searched } = options.identities
    ? { identities: options.identities, searched: ['identities passed by the caller'] }
    : await loadIdentities({ recipients: meta.age.map((a) => a.recipient), ...options.identityOptions });
  if (identities.length === 0) throw noIdentityError(file, searched);
  const dataKey = await unwrapDataKey(meta.age, identities, file);

  const { branches, repaired } = encryptClearLeaves(parsed.branches, meta, dataKey);
  if (repaired.length === 0) {
    // Nothing was typed in clear: a MAC mismatch here is tampering, not a hand edit to repair.
    await decryptFile(text, { format, filePath: options.filePath, identities: [...identities], sopsBinary: false });
    return { text, repaired };
  }
  // Every ENC[…] must open with this data key; the computed MAC covers the values as they are now.
  const decrypted = decryptBranches(branches, dataKey, { selection: meta.selection, macOnlyEncrypted: meta.macOnlyEncrypted, file });
  const lastModified = lastModifiedNow(options.now);
  const updated: SopsMetadata = { ...meta, lastModified, mac: encryptMac(decrypted.mac, dataKey, lastModified), version: SOPS_FORMAT_VERSION };
  return { text: emitFile(format, branches, writeMetadata(updated)), repaired };
}

/**
 * Applies an edit made to a sops file's encrypted text (a quick fix's text edits, which must leave
 * the `sops` metadata alone) the way `sops edit` would: the original is decrypted first with its
 * MAC verified (so only an authentic file is re-signed), values typed in clear in encrypted
 * positions are encrypted with the file's own data key, every other ciphertext is kept, a new MAC
 * is computed over the edited values, and the result is decrypted again (MAC included) before it
 * is returned. Needs a key that opens the file.
 */
export async function reencryptEditedCiphertext(original: string, edited: string, options: RepairOptions = {}): Promise<string> {
  const file = label(options.filePath);
  const verified = await decryptFile(original, { ...options, format: options.format, sopsBinary: false });
  const builtin = verified.builtin;
  if (!builtin) throw new SopsError('UNSUPPORTED', `${file}: editing needs the built-in engine (age recipients, YAML or JSON); use sops edit`);
  const before = parseFile(original, builtin.format, file);
  const after = parseFile(edited, builtin.format, file);
  if (!after.metadata || JSON.stringify(after.metadata) !== JSON.stringify(before.metadata)) {
    throw new SopsError('UNSUPPORTED', `${file}: the edit changes the sops metadata; it cannot be applied to the encrypted file`);
  }
  const meta = builtin.metadata;
  const { branches } = encryptClearLeaves(after.branches, meta, builtin.dataKey);
  const decrypted = decryptBranches(branches, builtin.dataKey, { selection: meta.selection, macOnlyEncrypted: meta.macOnlyEncrypted, file });
  const lastModified = lastModifiedNow(options.now);
  const updated: SopsMetadata = { ...meta, lastModified, mac: encryptMac(decrypted.mac, builtin.dataKey, lastModified), version: SOPS_FORMAT_VERSION };
  const text = emitFile(builtin.format, branches, writeMetadata(updated));
  // Verified before anyone writes it: it decrypts, MAC included, with the same data key.
  decryptWithDataKey(text, builtin.dataKey, { format: builtin.format, filePath: options.filePath });
  return text;
}
