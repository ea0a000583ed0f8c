/**
 * Decrypting whole files: the built-in age engine for YAML and JSON (MAC always verified), the
 * sops binary for everything else.
 */
import { isNativeAgeRecipient, unwrapDataKey } from './age';
import { type IdentityOptions, loadIdentities, noIdentityError } from './ageKeys';
import { findSopsBinary, type SopsBinaryOptions, sopsBinaryTransform } from './binaryBackend';
import { decryptBranches, type IvStash } from './codec';
import { emitFile, parseFile } from './document';
import { SopsError } from './errors';
import { type AnyFormat, describeFormat, resolveFormat, type SopsFormat } from './format';
import { assertMac, decryptMac } from './mac';
import { readMetadata, type SopsMetadata } from './metadata';
import { emitIni, parseIni } from './iniStore';
import type { SopsMapping } from './tree';

export interface KeyOptions {
  /** age identities (`AGE-SECRET-KEY-1…`); when absent they are looked up with `identityOptions`. */
  identities?: string[];
  identityOptions?: IdentityOptions;
  /** How to find the sops binary for what the built-in engine does not handle; `false` never uses it. */
  sopsBinary?: SopsBinaryOptions | false;
}

export interface DecryptOptions extends KeyOptions {
  format?: AnyFormat;
  /** Names the file in messages and picks the format from its extension. */
  filePath?: string;
}

export interface DecryptedFile {
  plaintext: string;
  format: AnyFormat;
  backend: 'builtin' | 'binary';
  /** Only for the built-in engine: what re-encryption needs. */
  builtin?: { format: SopsFormat; metadata: SopsMetadata; dataKey: Uint8Array; stash: IvStash };
  /** Comments in encrypted positions kept as they were (files from old sops). Never contains values. */
  warnings: string[];
}

export const label = (filePath?: string) => filePath ?? '<buffer>';

/** Why a file needs the sops binary, or undefined when the built-in engine can do it. */
function binaryReason(format: AnyFormat, meta?: SopsMetadata): string | undefined {
  if (format !== 'yaml' && format !== 'json') return describeFormat(format);
  if (meta?.keyGroups) return 'a file with several key groups (Shamir threshold)';
  if (meta && meta.age.length === 0) {
    const types = Object.keys(meta.foreign);
    return types.length ? `a file whose data key is wrapped only with ${types.join(', ')} master keys` : 'a file without age recipients';
  }
  return undefined;
}

async function viaBinary(action: 'decrypt' | 'encrypt', text: string, format: AnyFormat, options: DecryptOptions & KeyOptions, why: string): Promise<string> {
  const file = label(options.filePath);
  if (options.sopsBinary === false) throw new SopsError('UNSUPPORTED', `${file}: ${why} is not supported by the built-in SOPS engine`);
  if (!options.filePath) throw new SopsError('UNSUPPORTED', `${file}: ${why} needs the sops binary, which needs the file's path`);
  return sopsBinaryTransform(action, text, options.filePath, format, why, options.sopsBinary);
}

async function identitiesFor(options: KeyOptions, meta: SopsMetadata): Promise<{ identities: string[]; searched: string[] }> {
  if (options.identities) return { identities: options.identities, searched: ['identities passed by the caller'] };
  return loadIdentities({ recipients: meta.age.map((a) => a.recipient), ...options.identityOptions });
}

/** Decrypts and verifies the MAC; returns what re-encryption needs as well. */
export async function decryptFile(text: string, options: DecryptOptions = {}): Promise<DecryptedFile> {
  const file = label(options.filePath);
  const format = resolveFormat(text, options.filePath, options.format);
  if (format !== 'yaml' && format !== 'json') {
    return { plaintext: await viaBinary('decrypt', text, format, options, describeFormat(format)), format, backend: 'binary', warnings: [] };
  }
  const parsed = parseFile(text, format, file);
  if (!parsed.metadata) throw new SopsError('NOT_ENCRYPTED', `${file}: not a sops file (no top-level sops key)`);
  const meta = readMetadata(parsed.metadata, file);
  const why = binaryReason(format, meta);
  if (why) return { plaintext: await viaBinary('decrypt', text, format, options, why), format, backend: 'binary', warnings: [] };

  const { identities, searched } = await identitiesFor(options, meta);
  let dataKey: Uint8Array;
  try {
    if (identities.length === 0) throw noIdentityError(file, searched);
    dataKey = await unwrapDataKey(meta.age, identities, file);
  } catch (e) {
    // Another master key type may still open the file through the binary.
    const otherKeys = Object.keys(meta.foreign).length > 0 || meta.age.some((a) => !isNativeAgeRecipient(a.recipient));
    const canFallBack = otherKeys && options.sopsBinary !== false && options.filePath && findSopsBinary(options.sopsBinary || {});
    if (!canFallBack) throw e;
    return { plaintext: await viaBinary('decrypt', text, format, options, 'a file no loaded age identity can open'), format, backend: 'binary', warnings: [] };
  }
  return decryptParsed(parsed.branches, meta, dataKey, format, file);
}

function verifiedBranches(branches: SopsMapping[], meta: SopsMetadata, dataKey: Uint8Array, file: string) {
  const codecOptions = { selection: meta.selection, macOnlyEncrypted: meta.macOnlyEncrypted, file };
  const result = decryptBranches(branches, dataKey, codecOptions);
  const storedMac = decryptMac(meta.mac, dataKey, meta.lastModified, file);
  assertMac(storedMac, result.mac, file, result.legacyMac);
  return result;
}

function decryptParsed(branches: SopsMapping[], meta: SopsMetadata, dataKey: Uint8Array, format: SopsFormat, file: string): DecryptedFile {
  const result = verifiedBranches(branches, meta, dataKey, file);
  return {
    plaintext: emitFile(format, result.branches),
    format,
    backend: 'builtin',
    builtin: { format, metadata: meta, dataKey, stash: result.stash },
    warnings: result.warnings,
  };
}

/**
 * The value and MAC layer alone, for a data key obtained elsewhere (e.g. unwrapped by gpg or a
 * KMS): decrypts every value and verifies the MAC.
 */
export function decryptWithDataKey(text: string, dataKey: Uint8Array, options: { format?: AnyFormat; filePath?: string } = {}): DecryptedFile {
  const file = label(options.filePath);
  const format = resolveFormat(text, options.filePath, options.format);
  if (format === 'ini') {
    // INI is read here only (sops' INI store), so callers holding a data key can verify it.
    const { branch, metadata } = parseIni(text, file);
    if (!metadata) throw new SopsError('NOT_ENCRYPTED', `${file}: not a sops file (no [sops] section)`);
    const result = verifiedBranches([branch], readMetadata(metadata, file), dataKey, file);
    return { plaintext: emitIni(result.branches[0]), format, backend: 'builtin', warnings: result.warnings };
  }
  if (format !== 'yaml' && format !== 'json') throw new SopsError('UNSUPPORTED', `${file}: ${describeFormat(format)} is not handled by the built-in engine`);
  const parsed = parseFile(text, format, file);
  if (!parsed.metadata) throw new SopsError('NOT_ENCRYPTED', `${file}: not a sops file (no top-level sops key)`);
  return decryptParsed(parsed.branches, readMetadata(parsed.metadata, file), dataKey, format, file);
}

/** Decrypts a sops file (MAC verified) to its plaintext in the same format. */
export async function decrypt(text: string, options: DecryptOptions = {}): Promise<string> {
  return (await decryptFile(text, options)).plaintext;
}
