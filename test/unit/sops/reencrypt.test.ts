/** Saving an edit keeps the data key and the ciphertext of unchanged values, like `sops edit`. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decrypt, encrypt, reencrypt } from '../../../server/src/sops/index';
import { identitiesIn, needsVectors, vector } from './helpers';
import { TEST_IDENTITY, TEST_RECIPIENT } from './fixture-keys';

const PLAIN = `# credentials
db:
    user: admin
    password: old-password
    port: 5432
hosts:
    - alpha
    - beta
`;

const lines = (text: string) => text.split('\n');
const changedLines = (a: string, b: string) => lines(a).filter((l, i) => lines(b)[i] !== l);
const sopsBlock = (text: string) => text.slice(text.indexOf('\nsops:'));

describe('reencrypt', () => {
  test('only the edited value, lastmodified and mac change', async () => {
    const original = await encrypt(PLAIN, { recipients: [TEST_RECIPIENT], format: 'yaml', now: new Date('2026-01-01T00:00:00Z') });
    const edited = PLAIN.replace('old-password', 'new-password');
    const saved = await reencrypt(original, edited, { identities: [TEST_IDENTITY], format: 'yaml', now: new Date('2026-02-01T00:00:00Z') });
    const changed = changedLines(original, saved);
    assert.equal(changed.length, 3, changed.join('\n'));
    assert.match(changed[0], /^ {4}password: ENC\[/);
    assert.match(changed[1], /^ {4}lastmodified: "2026-01-01T00:00:00Z"$/);
    assert.match(changed[2], /^ {4}mac: ENC\[/);
    assert.equal(await decrypt(saved, { identities: [TEST_IDENTITY] }), edited);
  });

  test('the data key is kept: the age stanzas are byte-identical', async () => {
    const original = await encrypt(PLAIN, { recipients: [TEST_RECIPIENT], format: 'yaml' });
    const saved = await reencrypt(original, PLAIN.replace('5432', '5433'), { identities: [TEST_IDENTITY] });
    const ageBlock = (t: string) => /age:\n[\s\S]*?(?=\n {4}lastmodified)/.exec(sopsBlock(t))![0];
    assert.equal(ageBlock(saved), ageBlock(original));
  });

  test('an added value gets a new ciphertext, the others stay', async () => {
    const original = await encrypt(PLAIN, { recipients: [TEST_RECIPIENT], format: 'yaml' });
    const edited = PLAIN.replace('    - beta\n', '    - beta\n    - gamma\n');
    const saved = await reencrypt(original, edited, { identities: [TEST_IDENTITY] });
    const values = (t: string) => t.slice(0, t.indexOf('\nsops:')).split('\n');
    const before = values(original);
    const after = values(saved);
    assert.deepEqual(after.slice(0, before.length), before);
    assert.match(after[before.length], /^ {4}- ENC\[/);
    assert.equal(await decrypt(saved, { identities: [TEST_IDENTITY] }), edited);
  });

  test('an unchanged plaintext gives back the original bytes', async () => {
    const original = await encrypt(PLAIN, { recipients: [TEST_RECIPIENT], format: 'yaml' });
    assert.equal(await reencrypt(original, PLAIN, { identities: [TEST_IDENTITY] }), original);
  });

  test('the edited text must not contain a sops key', async () => {
    const original = await encrypt(PLAIN, { recipients: [TEST_RECIPIENT], format: 'yaml' });
    await assert.rejects(reencrypt(original, original, { identities: [TEST_IDENTITY], filePath: 's.yaml' }), {
      code: 'ALREADY_ENCRYPTED',
      message: 's.yaml: the edited text must not contain a top-level sops key',
    });
  });

  test('a sops-written file (3.7.1) keeps the ciphertext of values that were not edited', { skip: needsVectors }, async () => {
    const original = vector('age/example.yaml');
    const identities = identitiesIn('age/keys.txt');
    const plain = await decrypt(original, { identities });
    const saved = await reencrypt(original, plain.replace('password: c4r1b0u', 'password: changed'), { identities });
    const valueLines = (t: string) => t.slice(0, t.indexOf('\nsops:')).split('\n');
    const diff = valueLines(saved).filter((l, i) => valueLines(original)[i] !== l);
    assert.equal(diff.length, 1);
    assert.match(diff[0], /^ {8}password: ENC\[/);
    assert.match(sopsBlock(saved), /^ {4}version: 3\.\d+\.\d+$/m);
    assert.equal(await decrypt(saved, { identities }), plain.replace('password: c4r1b0u', 'password: changed'));
  });

  test('JSON files too', async () => {
    const json = '{\n\t"a": "one",\n\t"b": "two"\n}\n';
    const original = await encrypt(json, { recipients: [TEST_RECIPIENT], format: 'json' });
    const saved = await reencrypt(original, json.replace('two', 'three'), { identities: [TEST_IDENTITY], format: 'json' });
    assert.equal(lines(saved)[1], lines(original)[1]);
    assert.notEqual(lines(saved)[2], lines(original)[2]);
    assert.equal(await decrypt(saved, { identities: [TEST_IDENTITY] }), json.replace('two', 'three'));
  });
});
