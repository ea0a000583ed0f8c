/**
 * AES-256-GCM for single values in sops' `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` form.
 * sops uses 32-byte IVs and the key path as AAD; node:crypto accepts both.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SopsError } from './errors';
import { parseGoBool, parseGoFloat, parseGoInt, scalarToText } from './scalars';
import type { SopsScalar } from './tree';

/** Same pattern as sops' `encre` (anchored at the start only). */
const ENC_PATTERN = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;

export interface EncryptedValue {
  data: Buffer;
  iv: Buffer;
  tag: Buffer;
  type: string;
}

export function isEncryptedValue(text: unknown): text is string {
  return typeof text === 'string' && ENC_PATTERN.test(text);
}

export function parseEncryptedValue(text: string): EncryptedValue | undefined {
  const m = ENC_PATTERN.exec(text);
  if (!m) return undefined;
  return { data: Buffer.from(m[1], 'base64'), iv: Buffer.from(m[2], 'base64'), tag: Buffer.from(m[3], 'base64'), type: m[4] };
}

/** Leaf types sops writes, plus `comment` for YAML comments. */
export type CipherType = SopsScalar['kind'] | 'comment';

/**
 * Encrypts the Go text form of a value. Empty strings stay empty, as in sops, so `""` values
 * and their MAC contribution are identical before and after encryption.
 */
export function encryptText(plaintext: string, type: Exclude<CipherType, 'null'>, key: Uint8Array, aad: string, iv?: Buffer): string {
  if (plaintext === '' && type === 'str') return '';
  const nonce = iv ?? randomBytes(32);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(Buffer.from(plaintext, 'utf8')), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${nonce.toString('base64')},tag:${tag.toString('base64')},type:${type}]`;
}

export function encryptScalar(value: SopsScalar, key: Uint8Array, aad: string, iv?: Buffer): string {
  if (value.kind === 'null') throw new Error('null values are never encrypted');
  return encryptText(scalarToText(value), value.kind, key, aad, iv);
}

export interface DecryptedText {
  text: string;
  type: string;
  iv: Buffer;
}

/**
 * Decrypts one `ENC[…]` string. `where` names the file and key path for the error message;
 * the plaintext is never part of an error.
 */
export function decryptText(enc: string, key: Uint8Array, aad: string, where: string): DecryptedText {
  const parsed = parseEncryptedValue(enc);
  if (!parsed) throw new SopsError('BAD_FORMAT', `${where}: the value is not in sops' ENC[AES256_GCM,…] format`);
  if (parsed.iv.length === 0 || parsed.tag.length !== 16) throw new SopsError('BAD_FORMAT', `${where}: malformed ENC[…] value (bad iv or tag)`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, parsed.iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(parsed.tag);
    const plain = Buffer.concat([decipher.update(parsed.data), decipher.final()]);
    return { text: plain.toString('utf8'), type: parsed.type, iv: parsed.iv };
  } catch {
    throw new SopsError(
      'DECRYPT_FAILED',
      `${where}: could not decrypt the value (authentication failed: wrong data key, or the value was moved or tampered with)`,
    );
  }
}

/** Turns decrypted text back into a typed leaf, as sops' `Cipher.Decrypt` does per `type:`. */
export function typedScalar(text: string, type: string, where: string): SopsScalar {
  const bad = () => new SopsError('BAD_FORMAT', `${where}: decrypted value is not a valid ${type}`);
  switch (type) {
    case 'str':
    case 'bytes':
      return { kind: 'str', value: text };
    case 'int': {
      const v = /^[+-]?\d+$/.test(text) ? parseGoInt(text.replace(/^([+-]?)0+(?=\d)/, '$1')) : undefined;
      if (v === undefined) throw bad();
      return { kind: 'int', value: v };
    }
    case 'float': {
      const v = parseGoFloat(text);
      if (v === undefined) throw bad();
      return { kind: 'float', value: v };
    }
    case 'bool': {
      const v = parseGoBool(text);
      if (v === undefined) throw bad();
      return { kind: 'bool', value: v };
    }
    case 'time':
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) throw bad();
      return { kind: 'time', value: text };
    default:
      throw new SopsError('BAD_FORMAT', `${where}: unknown value type "${type}"`);
  }
}

