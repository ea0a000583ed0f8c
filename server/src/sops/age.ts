/**
 * Wrapping and unwrapping the data key with age, one armored age file per recipient as sops
 * writes it. `age-encryption` is an ES module, so it is loaded with a dynamic import.
 */
import type * as AgeModule from 'age-encryption';
import { SopsError } from './errors';
import type { AgeKeyEntry } from './metadata';

let agePromise: Promise<typeof AgeModule> | undefined;
export function loadAge(): Promise<typeof AgeModule> {
  agePromise ??= import('age-encryption');
  return agePromise;
}

/** Recipient forms age-encryption can encrypt to (X25519 and the post-quantum hybrid). */
export function isNativeAgeRecipient(recipient: string): boolean {
  return /^age1(pq1)?[02-9ac-hj-np-z]{20,}$/.test(recipient);
}

export async function wrapDataKey(dataKey: Uint8Array, recipient: string): Promise<AgeKeyEntry> {
  const age = await loadAge();
  const encrypter = new age.Encrypter();
  try {
    encrypter.addRecipient(recipient);
  } catch {
    throw new SopsError('UNSUPPORTED', `age recipient ${JSON.stringify(recipient)} is not an X25519 (age1…) recipient the built-in engine supports`);
  }
  const file = await encrypter.encrypt(dataKey);
  return { recipient, enc: age.armor.encode(file) };
}

/** Tries every age entry with every identity; the first that opens gives the data key. */
export async function unwrapDataKey(entries: AgeKeyEntry[], identities: string[], file: string, keyLength = 32): Promise<Uint8Array> {
  const age = await loadAge();
  const decrypter = new age.Decrypter();
  identities.forEach((identity, i) => {
    try {
      decrypter.addIdentity(identity);
    } catch {
      // The identity itself is secret: say which one, never echo it.
      throw new SopsError('BAD_FORMAT', `age identity #${i + 1} is malformed (expected AGE-SECRET-KEY-1…)`);
    }
  });
  for (const entry of entries) {
    try {
      const key = await decrypter.decrypt(age.armor.decode(entry.enc));
      if (key.length !== keyLength) throw new SopsError('BAD_FORMAT', `${file}: the age-wrapped data key for ${entry.recipient} is not ${keyLength} bytes`);
      return key;
    } catch (e) {
      if (e instanceof SopsError) throw e;
    }
  }
  const recipients = entries.map((e) => e.recipient).join(', ');
  throw new SopsError(
    'NO_MATCHING_KEY',
    `${file}: none of the loaded age identities (${identities.length}) can decrypt the data key (file recipients: ${recipients})`,
  );
}
