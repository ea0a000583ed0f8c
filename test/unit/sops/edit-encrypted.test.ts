/** A quick fix's edit of an encrypted file, applied as `sops edit` would: never without the key, never on a forged file. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decrypt, encrypt, reencryptEditedCiphertext } from '../../../server/src/sops/index';
import { identitiesIn, needsVectors, vector } from './helpers';
import { MOCK_IDENTITY, TEST_IDENTITY, TEST_RECIPIENT } from './fixture-keys';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
    name: web
spec:
    template:
        spec:
            containers:
                - name: web
                  image: nginx:1.27
stringData:
    token: not-a-real-token
`;

const valueLines = (text: string) => text.slice(0, text.indexOf('\nsops:')).split('\n');

describe('reencryptEditedCiphertext', () => {
  test('an edit outside the encrypted values (a resources block) gets a new MAC; every ciphertext is kept; the result decrypts', async () => {
    const original = await encrypt(DEPLOYMENT, { recipients: [TEST_RECIPIENT], format: 'yaml', selection: { key: 'encrypted_regex', value: '^(data|stringData)$' }, now: new Date('2026-01-01T00:00:00Z') });
    const edited = original.replace('                  image: nginx:1.27\n', '                  image: nginx:1.27\n                  resources:\n                    requests: { cpu: 10m, memory: 64Mi }\n');
    // The plain edit breaks the MAC: what `check --fix` must never write.
    await assert.rejects(decrypt(edited, { identities: [TEST_IDENTITY], format: 'yaml' }), { code: 'MAC_MISMATCH' });
    const text = await reencryptEditedCiphertext(original, edited, { identities: [TEST_IDENTITY], format: 'yaml', now: new Date('2026-02-01T00:00:00Z') });
    assert.match(await decrypt(text, { identities: [TEST_IDENTITY], format: 'yaml' }), /resources:\n\s+requests:[\s\S]*token: not-a-real-token/);
    const tokenLine = valueLines(original).find((l) => l.includes('token:'));
    assert.ok(tokenLine && valueLines(text).includes(tokenLine), 'the token keeps its ciphertext');
    assert.ok(!text.includes('not-a-real-token'));
  });

  test('a value typed in clear in an encrypted position is encrypted with the file\'s data key', { skip: needsVectors }, async () => {
    const original = vector('age/example.yaml');
    const identities = identitiesIn('age/keys.txt');
    const edited = original.replace(/^myapp1: .*$/m, (line) => `${line}\nadded: a-new-value`);
    const text = await reencryptEditedCiphertext(original, edited, { identities, format: 'yaml' });
    assert.match(text, /^added: ENC\[AES256_GCM,/m);
    assert.match(await decrypt(text, { identities, format: 'yaml' }), /^added: a-new-value$/m);
    assert.equal(valueLines(text).filter((l) => !valueLines(original).includes(l)).length, 1);
  });

  test('refused: without a key that opens the file, on a file whose MAC does not match, and for an edit of the sops metadata', { skip: needsVectors }, async () => {
    const original = vector('age/example.yaml');
    const identities = identitiesIn('age/keys.txt');
    const edited = original.replace(/^myapp1: .*$/m, (line) => `${line}\nadded: x`);
    await assert.rejects(reencryptEditedCiphertext(original, edited, { identities: [MOCK_IDENTITY], format: 'yaml' }));
    const forged = original.replace(/^(myapp1: ENC\[AES256_GCM,data:)(.)/m, (_, head: string, c: string) => head + (c === 'A' ? 'B' : 'A'));
    await assert.rejects(reencryptEditedCiphertext(forged, forged.replace(/^myapp1: .*$/m, (line) => `${line}\nadded: x`), { identities, format: 'yaml' }));
    const metadataEdited = edited.replace(/lastmodified: "[^"]*"/, 'lastmodified: "2030-01-01T00:00:00Z"');
    await assert.rejects(reencryptEditedCiphertext(original, metadataEdited, { identities, format: 'yaml' }), { code: 'UNSUPPORTED', message: '<buffer>: the edit changes the sops metadata; it cannot be applied to the encrypted file' });
  });
});
