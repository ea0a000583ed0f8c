// The file format of the on-disk caches (parse-v1/, results-v1/): a sha256 of the body, then the
// body, a v8-serialized value. A file whose digest does not match is never trusted.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { writeFileAtomic } from '../writes';

const DIGEST_BYTES = 32;

/** The value sealed in `bytes`, or undefined when the file is short, altered or not v8 data. */
export function unseal(bytes: Buffer): unknown {
  if (bytes.length <= DIGEST_BYTES) return undefined;
  const body = bytes.subarray(DIGEST_BYTES);
  if (!createHash('sha256').update(body).digest().equals(bytes.subarray(0, DIGEST_BYTES))) return undefined;
  try {
    return deserialize(body);
  } catch {
    return undefined;
  }
}

/** Writes `value` sealed to `file` atomically (its folder made first). Failures are ignored: a cache only saves time. */
export async function writeSealed(file: string, value: unknown): Promise<void> {
  const body = serialize(value);
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, Buffer.concat([createHash('sha256').update(body).digest(), body]));
  } catch {
    // A read-only or full disk: the next run does the work again.
  }
}
