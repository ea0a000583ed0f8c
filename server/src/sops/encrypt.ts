/**
 * Encrypting whole files with a new data key, and re-encrypting an edit with the old one (as
 * `sops edit` does); creation rules the built-in engine cannot serve go to the sops binary.
 */
import { randomBytes } from 'node:crypto';
import { isNativeAgeRecipient, wrapDataKey } from './age';
import { binaryMissingError, findSopsBinary, type SopsBinaryOptions, sopsBinaryTransform } from './binaryBackend';
import { encryptBranches } from './codec';
import { type CreationRule, findCreationRule } from './creationRules';
import { decryptFile, type DecryptOptions, label } from './decrypt';
import { emitFile, parseFile } from './document';
import { SopsError } from './errors';
import { type AnyFormat, describeFormat, resolveFormat, type SopsFormat } from './format';
import { encryptMac, lastModifiedNow } from './mac';
import { SOPS_FORMAT_VERSION, type SopsMetadata, writeMetadata } from './metadata';
import { DEFAULT_SELECTION, type Selection } from './selection';

export interface EncryptOptions {
  filePath?: string;
  format?: AnyFormat;
  /** The rule to apply; otherwise `recipients`, otherwise the rule found from `repoRoot`. */
  creationRule?: CreationRule;
  /** age recipients (`age1…`), when no creation rule is used. */
  recipients?: string[];
  /** Where `.sops.yaml` lookup stops. */
  repoRoot?: string;
  /** Overrides the rule's selection option (like sops' CLI flags). */
  selection?: Selection;
  macOnlyEncrypted?: boolean;
  sopsBinary?: SopsBinaryOptions | false;
  /** For tests: the time written as `lastmodified`. */
  now?: Date;
}

function ruleFor(options: EncryptOptions): CreationRule | undefined {
  if (options.creationRule) return options.creationRule;
  if (options.recipients) return undefined;
  if (options.repoRoot && options.filePath) return findCreationRule(options.repoRoot, options.filePath);
  return undefined;
}

/** Encrypts a plaintext YAML/JSON file with a new data key for the rule's (or the given) age recipients. */
export async function encrypt(plaintext: string, options: EncryptOptions = {}): Promise<string> {
  const file = label(options.filePath);
  const format = resolveFormat(plaintext, options.filePath, options.format);
  const rule = ruleFor(options);
  const recipients = options.recipients ?? rule?.age ?? [];
  if (!rule && !options.recipients) {
    throw new SopsError('NO_CREATION_RULE', `${file}: no recipients given and no .sops.yaml creation rule found${options.repoRoot ? ` under ${options.repoRoot}` : ''}`);
  }
  let why: string | undefined;
  if (format !== 'yaml' && format !== 'json') why = describeFormat(format);
  else if (rule?.hasKeyGroups) why = `creation rule ${rule.index} of ${rule.configPath} (key_groups)`;
  else if (rule && Object.keys(rule.foreign).length) why = `creation rule ${rule.index} of ${rule.configPath} (${Object.keys(rule.foreign).join(', ')} keys)`;
  else if (recipients.some((r) => !isNativeAgeRecipient(r))) why = 'an age recipient type the built-in engine does not support (SSH or plugin)';
  if (why) {
    if (options.sopsBinary === false || !options.filePath) throw new SopsError('UNSUPPORTED', `${file}: ${why} needs the sops binary`);
    if (!findSopsBinary(options.sopsBinary || {})) throw binaryMissingError(file, why, options.sopsBinary || {});
    return sopsBinaryTransform('encrypt', plaintext, options.filePath, format, why, options.sopsBinary || {});
  }
  if (recipients.length === 0) throw new SopsError('NO_CREATION_RULE', `${file}: the creation rule names no recipients`);
  const parsed = parseFile(plaintext, format as SopsFormat, file);
  if (parsed.metadata) throw new SopsError('ALREADY_ENCRYPTED', `${file}: the file already has a top-level sops key (already encrypted?)`);
  const dataKey = randomBytes(32);
  const selection = options.selection ?? rule?.selection ?? DEFAULT_SELECTION;
  const macOnlyEncrypted = options.macOnlyEncrypted ?? rule?.macOnlyEncrypted ?? false;
  const { branches, mac } = encryptBranches(parsed.branches, dataKey, { selection, macOnlyEncrypted, file });
  const lastModified = lastModifiedNow(options.now);
  const age = [];
  for (const recipient of recipients) age.push(await wrapDataKey(dataKey, recipient));
  const meta: SopsMetadata = { age, foreign: {}, lastModified, mac: encryptMac(mac, dataKey, lastModified), selection, macOnlyEncrypted, version: SOPS_FORMAT_VERSION };
  return emitFile(format as SopsFormat, branches, writeMetadata(meta));
}

export interface ReencryptOptions extends DecryptOptions {
  now?: Date;
}

/**
 * Re-encrypts an edited plaintext with the original file's data key and master keys, reusing
 * the IV (hence the ciphertext) of every unchanged value, like `sops edit`. An unchanged
 * plaintext gives back the original text byte for byte.
 */
export async function reencrypt(originalEncrypted: string, editedPlaintext: string, options: ReencryptOptions = {}): Promise<string> {
  const file = label(options.filePath);
  const original = await decryptFile(originalEncrypted, { ...options, sopsBinary: false });
  const builtin = original.builtin;
  if (!builtin) throw new SopsError('UNSUPPORTED', `${file}: re-encryption needs the built-in engine; use sops edit for this file`);
  const edited = parseFile(editedPlaintext, builtin.format, file);
  if (edited.metadata) throw new SopsError('ALREADY_ENCRYPTED', `${file}: the edited text must not contain a top-level sops key`);
  if (emitFile(builtin.format, edited.branches) === original.plaintext) return originalEncrypted;
  const meta = builtin.metadata;
  const codecOptions = { selection: meta.selection, macOnlyEncrypted: meta.macOnlyEncrypted, file };
  const { branches, mac } = encryptBranches(edited.branches, builtin.dataKey, codecOptions, builtin.stash);
  const lastModified = lastModifiedNow(options.now);
  const updated: SopsMetadata = { ...meta, lastModified, mac: encryptMac(mac, builtin.dataKey, lastModified), version: SOPS_FORMAT_VERSION };
  return emitFile(builtin.format, branches, writeMetadata(updated));
}
