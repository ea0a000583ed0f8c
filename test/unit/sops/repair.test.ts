/** Repairing a hand-edited (partially encrypted) file keeps the data key and the other ciphertexts. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decrypt, encrypt, findUnencryptedValues, repairPartiallyEncrypted } from '../../../server/src/sops/index';
import { repoRoot } from './helpers';
import { MOCK_IDENTITY, TEST_IDENTITY, TEST_RECIPIENT } from './fixture-keys';

const PLAIN = `db:
    user: admin
    password: old-password
    port: 5432
hosts:
    - alpha
    - beta
`;

const lines = (text: string) => text.split('\n');
const valueLines = (text: string) => lines(text.slice(0, text.indexOf('\nsops:')));
const ageBlock = (text: string) => /\n {4}age:\n[\s\S]*?(?=\n {4}lastmodified)/.exec(text)![0];

/** Encrypts PLAIN, then types clear values over some ENC[…] lines, as a hand edit does. */
async function handEdited(replacements: Record<string, string>): Promise<{ original: string; edited: string }> {
  const original = await encrypt(PLAIN, { recipients: [TEST_RECIPIENT], format: 'yaml', now: new Date('2026-01-01T00:00:00Z') });
  let edited = original;
  for (const [key, value] of Object.entries(replacements)) edited = edited.replace(new RegExp(`^( +(?:- )?${key}: )ENC\\[[^\\]]*\\]$`, 'm'), `$1${value}`);
  assert.notEqual(edited, original);
  return { original, edited };
}

describe('repairPartiallyEncrypted', () => {
  test('encrypts the clear value, keeps every other ciphertext and the age stanza, and gets a valid MAC', async () => {
    const { original, edited } = await handEdited({ password: 'typed-by-hand' });
    await assert.rejects(decrypt(edited, { identities: [TEST_IDENTITY] }), { code: 'BAD_FORMAT' });
    const { text, repaired } = await repairPartiallyEncrypted(edited, { identities: [TEST_IDENTITY], format: 'yaml', now: new Date('2026-02-01T00:00:00Z') });
    assert.deepEqual(repaired, ['db.password']);
    const before = valueLines(original);
    const after = valueLines(text);
    assert.deepEqual(after.map((l, i) => (l === before[i] ? '=' : l.replace(/ENC\[.*$/, 'ENC'))), ['=', '=', '    password: ENC', '=', '=', '=', '=']);
    assert.equal(ageBlock(text), ageBlock(original));
    assert.match(text, /lastmodified: "2026-02-01T00:00:00Z"/);
    assert.deepEqual(findUnencryptedValues(text), []);
    assert.equal(await decrypt(text, { identities: [TEST_IDENTITY] }), PLAIN.replace('old-password', 'typed-by-hand'));
  });

  test('keeps the type of a clear scalar (an int stays an int)', async () => {
    const { edited } = await handEdited({ port: '5433' });
    const { text, repaired } = await repairPartiallyEncrypted(edited, { identities: [TEST_IDENTITY], format: 'yaml' });
    assert.deepEqual(repaired, ['db.port']);
    assert.match(valueLines(text)[3], /^ {4}port: ENC\[AES256_GCM,.*type:int\]$/);
    assert.equal(await decrypt(text, { identities: [TEST_IDENTITY] }), PLAIN.replace('5432', '5433'));
  });

  test('the example repository\'s hand-edited Secret decrypts after the repair', async () => {
    const file = join(repoRoot, 'examples/layered-repo/environments/apps/podinfo/api-token.sops.yaml');
    const edited = readFileSync(file, 'utf8');
    const { text, repaired } = await repairPartiallyEncrypted(edited, { identities: [TEST_IDENTITY], filePath: file });
    assert.deepEqual(repaired, ['stringData.webhook']);
    // The comment above the clear value sat in an encrypted position too: it is encrypted as sops does.
    assert.doesNotMatch(text, /Deliberate|example-hand-edited-webhook/);
    const tokenLine = (t: string) => lines(t).find((l) => l.startsWith('    token: '));
    assert.equal(tokenLine(text), tokenLine(edited));
    assert.match(await decrypt(text, { identities: [TEST_IDENTITY], filePath: file }), /^ {4}webhook: example-hand-edited-webhook$/m);
  });

  test('a file without clear values is verified, not re-MACed: tampering stays a MAC mismatch', async () => {
    const { original } = await handEdited({ password: 'x' });
    const tampered = original.replace(/^ {4}- ENC\[[^\]]*\]\n( {4}- ENC)/m, '$1');
    assert.notEqual(tampered, original);
    await assert.rejects(repairPartiallyEncrypted(tampered, { identities: [TEST_IDENTITY], filePath: 's.sops.yaml' }), { code: 'MAC_MISMATCH' });
    assert.deepEqual(await repairPartiallyEncrypted(original, { identities: [TEST_IDENTITY], format: 'yaml' }), { text: original, repaired: [] });
  });

  test('a wrong key is refused without touching the file, and the message holds no value', async () => {
    const { edited } = await handEdited({ password: 'typed-by-hand' });
    await assert.rejects(repairPartiallyEncrypted(edited, { identities: [MOCK_IDENTITY], filePath: 's.sops.yaml' }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'NO_MATCHING_KEY');
      assert.match(error.message, /^s\.sops\.yaml: none of the loaded age identities \(1\) can decrypt the data key/);
      assert.doesNotMatch(error.message, /typed-by-hand/);
      return true;
    });
  });

  test('no identity at all names where it looked', async () => {
    const { edited } = await handEdited({ password: 'typed-by-hand' });
    await assert.rejects(repairPartiallyEncrypted(edited, { filePath: 's.sops.yaml', identityOptions: { env: {}, homeDir: '/nonexistent', platform: 'linux' } }), {
      code: 'NO_IDENTITY',
      message: /looked in: SOPS_AGE_KEY \(not set\); SOPS_AGE_KEY_FILE \(not set\); SOPS_AGE_KEY_CMD \(not set\); user keys file \/nonexistent\/\.config\/sops\/age\/keys\.txt \(not found\)$/,
    });
  });

  test('a plain file is not a sops file', async () => {
    await assert.rejects(repairPartiallyEncrypted(PLAIN, { identities: [TEST_IDENTITY], format: 'yaml' }), { code: 'NOT_ENCRYPTED' });
  });
});
