/**
 * The file MAC: SHA-512 over the Go text of the leaf values in tree order, stored encrypted
 * under the data key with `lastmodified` as AAD, so any added, removed, reordered or changed
 * value (clear or encrypted) is detected.
 */
import { createHash, type Hash } from 'node:crypto';
import { decryptText, encryptText } from './cipher';
import { SopsError } from './errors';

/** `sha256("sops")`: seeds the hash in `mac_only_encrypted` mode so the two modes never collide. */
const MAC_ONLY_ENCRYPTED_SEED = createHash('sha256').update('sops').digest();

export function newMacHash(macOnlyEncrypted: boolean): Hash {
  const hash = createHash('sha512');
  if (macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_SEED);
  return hash;
}

export function macHex(hash: Hash): string {
  return hash.digest('hex').toUpperCase();
}

/** `lastmodified` as Go's `time.Format(time.RFC3339)`: no fractional seconds, zero offset as `Z`. */
export function normaliseLastModified(value: string, file?: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.exec(value.trim());
  if (!m) throw new SopsError('BAD_FORMAT', `${file ?? 'file'}: sops.lastmodified is not an RFC 3339 time`);
  const zone = m[2].toUpperCase() === 'Z' || m[2] === '+00:00' || m[2] === '-00:00' ? 'Z' : m[2];
  return m[1].toUpperCase() + zone;
}

export function lastModifiedNow(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function encryptMac(mac: string, dataKey: Uint8Array, lastModified: string): string {
  return encryptText(mac, 'str', dataKey, normaliseLastModified(lastModified));
}

/** Decrypts `sops.mac`; a missing MAC is refused like a wrong one, as sops does without --ignore-mac. */
export function decryptMac(enc: string | undefined, dataKey: Uint8Array, lastModified: string, file: string): string {
  if (!enc) throw new SopsError('MAC_MISSING', `${file}: the file has no MAC (sops.mac is missing), refusing to trust it`);
  try {
    return decryptText(enc, dataKey, normaliseLastModified(lastModified, file), `${file}: sops.mac`).text;
  } catch (e) {
    if (e instanceof SopsError && e.code === 'DECRYPT_FAILED') {
      throw new SopsError('MAC_MISMATCH', `${file}: MAC mismatch: sops.mac cannot be authenticated (lastmodified or the MAC was changed)`);
    }
    throw e;
  }
}

export function assertMac(expected: string, computed: string, file: string, legacy?: string): void {
  const stored = expected.toUpperCase();
  if (stored !== computed && stored !== legacy) {
    throw new SopsError('MAC_MISMATCH', `${file}: MAC mismatch: the file was modified outside sops (a value, its order, or the set of values changed)`);
  }
}
