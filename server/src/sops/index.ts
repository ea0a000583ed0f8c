/**
 * The SOPS engine's public API (plain Node, no vscode). Byte-compatible with sops 3.x for YAML
 * and JSON files whose data key is wrapped with age; everything else goes to the sops binary.
 *
 * - `isSopsEncrypted(text)`: does the text carry sops metadata (as `sops filestatus`)?
 * - `inspect(text)`: recipients, lastmodified, version, selection option, for hovers.
 * - `decrypt(text, {format, filePath, identities})`: plaintext, MAC verified.
 * - `encrypt(plaintext, {filePath, creationRule | recipients | repoRoot, format})`: a new sops file.
 * - `reencrypt(originalEncrypted, editedPlaintext, {identities})`: same data key, unchanged
 *   values keep their ciphertext.
 * - `repairPartiallyEncrypted(text, {identities})`: a hand-edited file's clear values encrypted with
 *   its own data key, the other ciphertexts kept, a new MAC (the old one cannot match).
 * - `reencryptEditedCiphertext(original, edited, {identities})`: an edit of the encrypted text (a
 *   quick fix) applied as `sops edit` would: original MAC verified, new MAC, result verified.
 * - `findCreationRule(repoRoot, filePath)`: the `.sops.yaml` rule sops would use.
 * - `loadIdentities(options)`: the user's age identities, looked up as sops does.
 * - `findUnencryptedValues(text)`: key paths of clear values in encrypted positions.
 *
 * Every failure is a `SopsError` with a `code`; messages name files and key paths, never values.
 */
export { decrypt, decryptFile, decryptWithDataKey } from './decrypt';
export { encrypt, reencrypt } from './encrypt';
export type { DecryptOptions, DecryptedFile, KeyOptions } from './decrypt';
export type { EncryptOptions, ReencryptOptions } from './encrypt';
export { findUnencryptedValues, inspect, isSopsEncrypted } from './inspect';
export type { SopsFileInfo } from './inspect';
export { findCreationRule, findSopsConfig, parseCreationRules } from './creationRules';
export type { CreationRule } from './creationRules';
export { loadIdentities, parseIdentities, userConfigDir } from './ageKeys';
export type { IdentityOptions, LoadedIdentities } from './ageKeys';
export { findSopsBinary } from './binaryBackend';
export type { SopsBinaryOptions } from './binaryBackend';
export { translateGoRegex } from './goRegex';
export { SopsError } from './errors';
export type { SopsErrorCode } from './errors';
export type { AnyFormat, SopsFormat } from './format';
export type { Selection, SelectionKey } from './selection';
export { reencryptEditedCiphertext, repairPartiallyEncrypted } from './repair';
export type { RepairOptions, RepairResult } from './repair';
