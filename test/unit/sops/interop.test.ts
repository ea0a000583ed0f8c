/**
 * Our output read by independent implementations: Debian's `age` unwraps the data key, and the
 * `sops-decoder` package (its own walk and MAC check) decrypts the values with that key.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { decrypt, encrypt } from '../../../server/src/sops/index';
import { needsTool } from './helpers';
import { TEST_IDENTITY, TEST_IDENTITY_2, TEST_RECIPIENT, TEST_RECIPIENT_2 } from './fixture-keys';

const PLAIN_YAML = `# database credentials
db:
    user: admin
    password: s3cr3t-value
    port: 5432
    ratio: 0.25
    enabled: true
    nothing: null
    empty: ""
hosts:
    - alpha
    - beta
    # a comment inside a list
    - - nested
      - 7
replicas_unencrypted: 3
`;

const PLAIN_JSON = `{
\t"apiKey": "k-123",
\t"limits": {
\t\t"cpu": 2,
\t\t"ratio": 1.5
\t},
\t"tags": [
\t\t"a",
\t\tfalse
\t],
\t"note_unencrypted": "clear"
}
`;

let workDir: string;
before(() => {
  workDir = mkdtempSync(join(tmpdir(), 'gg-sops-interop-'));
  writeFileSync(join(workDir, 'keys.txt'), `${TEST_IDENTITY}\n`, { mode: 0o600 });
});
after(() => rmSync(workDir, { recursive: true, force: true }));

/** Debian's age (Go) unwraps the data key from an armored sops `enc`. */
function ageUnwrap(armored: string, keyFile = join(workDir, 'keys.txt')): Buffer {
  return execFileSync('age', ['--decrypt', '-i', keyFile], { input: armored, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs sops-decoder's own walk and MAC check with the given data key (it only knows AWS KMS, so KMS is stubbed). */
async function sopsDecoderDecrypt(tree: Record<string, unknown>, dataKey: Buffer): Promise<unknown> {
  const kms = require('@aws-sdk/client-kms') as { KMSClient: { prototype: { send: unknown } } };
  const decoder = require('sops-decoder') as { decrypt: (tree: unknown) => Promise<unknown> };
  const original = kms.KMSClient.prototype.send;
  kms.KMSClient.prototype.send = async () => ({ Plaintext: new Uint8Array(dataKey) });
  try {
    const sops = tree.sops as Record<string, unknown>;
    const withKms = { ...tree, sops: { ...sops, kms: [{ arn: 'arn:aws:kms:us-east-1:000000000000:key/test', enc: 'stub', created_at: '' }] } };
    return await decoder.decrypt(withKms);
  } finally {
    kms.KMSClient.prototype.send = original;
  }
}

describe('independent decoders accept our output', { skip: needsTool('age', 'age') }, () => {
  test('YAML: one armored age file per recipient; age unwraps the same 32-byte key from each', async () => {
    const enc = await encrypt(PLAIN_YAML, { recipients: [TEST_RECIPIENT, TEST_RECIPIENT_2], format: 'yaml' });
    const meta = (parseYaml(enc) as { sops: { age: Array<{ recipient: string; enc: string }> } }).sops;
    assert.deepEqual(meta.age.map((a) => a.recipient), [TEST_RECIPIENT, TEST_RECIPIENT_2]);
    for (const entry of meta.age) assert.match(entry.enc, /^-----BEGIN AGE ENCRYPTED FILE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END AGE ENCRYPTED FILE-----\n$/);
    writeFileSync(join(workDir, 'keys2.txt'), `${TEST_IDENTITY_2}\n`, { mode: 0o600 });
    const k1 = ageUnwrap(meta.age[0].enc);
    const k2 = ageUnwrap(meta.age[1].enc, join(workDir, 'keys2.txt'));
    assert.equal(k1.length, 32);
    assert.deepEqual(k1, k2);
    assert.throws(() => ageUnwrap(meta.age[1].enc), 'the first identity must not open the second recipient file');
  });

  test('YAML: sops-decoder verifies our MAC and gets the values back', async () => {
    const enc = await encrypt(PLAIN_YAML, { recipients: [TEST_RECIPIENT], format: 'yaml' });
    const tree = parseYaml(enc) as Record<string, unknown> & { sops: { age: Array<{ enc: string }> } };
    const dataKey = ageUnwrap(tree.sops.age[0].enc);
    const out = await sopsDecoderDecrypt(tree, dataKey);
    assert.deepEqual(out, {
      db: { user: 'admin', password: 's3cr3t-value', port: 5432, ratio: 0.25, enabled: true, nothing: null, empty: '' },
      hosts: ['alpha', 'beta', ['nested', 7]],
      replicas_unencrypted: 3,
    });
  });

  test('JSON: sops-decoder verifies our MAC and gets the values back', async () => {
    const enc = await encrypt(PLAIN_JSON, { recipients: [TEST_RECIPIENT], format: 'json' });
    assert.match(enc, /^\{\n\t"apiKey": "ENC\[AES256_GCM,data:[^"]+,type:str\]",\n/);
    const tree = JSON.parse(enc) as Record<string, unknown> & { sops: { age: Array<{ enc: string }> } };
    const out = await sopsDecoderDecrypt(tree, ageUnwrap(tree.sops.age[0].enc));
    assert.deepEqual(out, { apiKey: 'k-123', limits: { cpu: 2, ratio: 1.5 }, tags: ['a', false], note_unencrypted: 'clear' });
  });

  test('sops-decoder rejects our file after a clear value is changed (its MAC check is real)', async () => {
    const enc = await encrypt(PLAIN_YAML, { recipients: [TEST_RECIPIENT], format: 'yaml' });
    const tree = parseYaml(enc.replace('replicas_unencrypted: 3', 'replicas_unencrypted: 4')) as Record<string, unknown> & { sops: { age: Array<{ enc: string }> } };
    await assert.rejects(sopsDecoderDecrypt(tree, ageUnwrap(tree.sops.age[0].enc)), /Hash mismatch/);
  });
});

describe('tampering with our own output', () => {
  test('a changed clear value gives a MAC error', async () => {
    const enc = await encrypt(PLAIN_YAML, { recipients: [TEST_RECIPIENT], format: 'yaml', filePath: 'app/secret.yaml' });
    const tampered = enc.replace('replicas_unencrypted: 3', 'replicas_unencrypted: 4');
    await assert.rejects(decrypt(tampered, { identities: [TEST_IDENTITY], filePath: 'app/secret.yaml' }), {
      code: 'MAC_MISMATCH',
      message: 'app/secret.yaml: MAC mismatch: the file was modified outside sops (a value, its order, or the set of values changed)',
    });
  });

  test('swapped ciphertexts give an authentication error naming the path', async () => {
    const enc = await encrypt(PLAIN_YAML, { recipients: [TEST_RECIPIENT], format: 'yaml', filePath: 'secret.yaml' });
    const user = /user: (ENC\[[^\]]+\])/.exec(enc)![1];
    const password = /password: (ENC\[[^\]]+\])/.exec(enc)![1];
    const swapped = enc.replace(`user: ${user}`, 'user: SWAP').replace(`password: ${password}`, `password: ${user}`).replace('user: SWAP', `user: ${password}`);
    await assert.rejects(decrypt(swapped, { identities: [TEST_IDENTITY], filePath: 'secret.yaml' }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'DECRYPT_FAILED');
      assert.equal(e.message, 'secret.yaml: db.user: could not decrypt the value (authentication failed: wrong data key, or the value was moved or tampered with)');
      assert.ok(!e.message.includes('admin') && !e.message.includes('s3cr3t'));
      return true;
    });
  });

  test('a value moved under another key fails authentication (the path is the AAD)', async () => {
    const enc = await encrypt('a: one\nb: two\n', { recipients: [TEST_RECIPIENT], format: 'yaml' });
    const moved = enc.replace(/^a: /m, 'c: ');
    await assert.rejects(decrypt(moved, { identities: [TEST_IDENTITY] }), { code: 'DECRYPT_FAILED' });
  });
});
