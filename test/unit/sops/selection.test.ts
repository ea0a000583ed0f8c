/** The six selection options and mac_only_encrypted decide which values are ENC[…] and what the MAC covers. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decrypt, encrypt, findUnencryptedValues, inspect } from '../../../server/src/sops/index';
import type { Selection } from '../../../server/src/sops/index';
import { TEST_IDENTITY, TEST_RECIPIENT } from './fixture-keys';

const SECRET = `apiVersion: v1
kind: Secret
metadata:
    name: db
    annotations:
        data: also-selected
stringData:
    password: pw
    nested:
        token: tk
`;

const encWith = (selection: Selection | undefined, plain = SECRET, macOnlyEncrypted?: boolean) =>
  encrypt(plain, { recipients: [TEST_RECIPIENT], format: 'yaml', selection, macOnlyEncrypted });

/** Key names whose values are ENC[…] in the output. */
const encryptedKeys = (text: string) =>
  [...text.slice(0, text.indexOf('\nsops:')).matchAll(/^\s*([\w-]+): ENC\[/gm)].map((m) => m[1]);

describe('selection options', () => {
  test('encrypted_regex selects keys matching anywhere in the path (Kubernetes data/stringData)', async () => {
    const out = await encWith({ key: 'encrypted_regex', value: '^(data|stringData)$' });
    assert.deepEqual(encryptedKeys(out), ['data', 'password', 'token']);
    assert.match(out, /^ {4}encrypted_regex: \^\(data\|stringData\)\$$/m);
    assert.equal(await decrypt(out, { identities: [TEST_IDENTITY] }), SECRET);
  });

  test('unencrypted_regex', async () => {
    const out = await encWith({ key: 'unencrypted_regex', value: '^(apiVersion|kind|metadata)$' });
    assert.deepEqual(encryptedKeys(out), ['password', 'token']);
  });

  test('encrypted_suffix and unencrypted_suffix test each key of the path', async () => {
    const plain = 'a_secret: 1\nb: 2\nc_secret:\n    d: 3\n';
    assert.deepEqual(encryptedKeys(await encWith({ key: 'encrypted_suffix', value: '_secret' }, plain)), ['a_secret', 'd']);
    assert.deepEqual(encryptedKeys(await encWith({ key: 'unencrypted_suffix', value: '_secret' }, plain)), ['b']);
  });

  test('encrypted_comment_regex: the marker comment stays clear, the next value is encrypted', async () => {
    const plain = 'a: 1\n# sops:enc\nb: 2\nc: 3\n';
    const out = await encWith({ key: 'encrypted_comment_regex', value: 'sops:enc' }, plain);
    assert.deepEqual(encryptedKeys(out), ['b']);
    assert.match(out, /^# sops:enc$/m);
    assert.equal(await decrypt(out, { identities: [TEST_IDENTITY] }), plain);
  });

  test('unencrypted_comment_regex: the value after a matching comment stays clear', async () => {
    const plain = 'a: 1\n# sops:noenc\nb: 2\nc: 3\n';
    const out = await encWith({ key: 'unencrypted_comment_regex', value: 'sops:noenc' }, plain);
    assert.deepEqual(encryptedKeys(out), ['a', 'c']);
    assert.equal(await decrypt(out, { identities: [TEST_IDENTITY] }), plain);
  });

  test('Go regex syntax in a selection option is translated ((?i) flag)', async () => {
    const out = await encWith({ key: 'encrypted_regex', value: '(?i)^PASSWORD$' });
    assert.deepEqual(encryptedKeys(out), ['password']);
  });
});

describe('mac_only_encrypted', () => {
  test('clear values may change without breaking the MAC; encrypted ones may not', async () => {
    const out = await encWith({ key: 'encrypted_regex', value: '^stringData$' }, SECRET, true);
    assert.match(out, /^ {4}mac_only_encrypted: true$/m);
    const metadataKeys = [...out.slice(out.indexOf('\nsops:')).matchAll(/^ {4}(\w+):/gm)].map((m) => m[1]);
    assert.deepEqual(metadataKeys, ['age', 'encrypted_regex', 'lastmodified', 'mac', 'mac_only_encrypted', 'version'], 'sorted like sops');
    const renamed = out.replace('name: db', 'name: db2');
    assert.equal(await decrypt(renamed, { identities: [TEST_IDENTITY] }), SECRET.replace('name: db', 'name: db2'));
    const reordered = out.replace(/(    password: ENC\[[^\]]+\]\n)(    nested:\n        token: ENC\[[^\]]+\]\n)/, '$2$1');
    assert.notEqual(reordered, out);
    await assert.rejects(decrypt(reordered, { identities: [TEST_IDENTITY] }), { code: 'MAC_MISMATCH' });
  });

  test('without it, a clear value change breaks the MAC', async () => {
    const out = await encWith({ key: 'encrypted_regex', value: '^stringData$' });
    await assert.rejects(decrypt(out.replace('name: db', 'name: db2'), { identities: [TEST_IDENTITY] }), { code: 'MAC_MISMATCH' });
  });
});

describe('inspect and the partially-encrypted check', () => {
  test('inspect reports the recipients and the selection', async () => {
    const out = await encWith({ key: 'encrypted_regex', value: '^(data|stringData)$' });
    const info = inspect(out);
    assert.deepEqual(info.recipients, { age: [TEST_RECIPIENT], pgp: [], other: {} });
    assert.deepEqual(info.selection, { key: 'encrypted_regex', value: '^(data|stringData)$' });
    assert.equal(info.hasMac, true);
    assert.match(info.lastModified, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  test('findUnencryptedValues lists the paths of clear values in encrypted positions, never values', async () => {
    const out = await encWith({ key: 'encrypted_regex', value: '^(data|stringData)$' });
    const edited = out.replace(/password: ENC\[[^\]]+\]/, 'password: hunter2').replace(/^(\s+)data: ENC\[[^\]]+\]/m, '$1data: 42');
    assert.deepEqual(findUnencryptedValues(out), []);
    assert.deepEqual(findUnencryptedValues(edited), ['metadata.annotations.data', 'stringData.password']);
    await assert.rejects(decrypt(edited, { identities: [TEST_IDENTITY], filePath: 'secret.yaml' }), {
      code: 'BAD_FORMAT',
      message: 'secret.yaml: metadata.annotations.data: value in an encrypted position is not ENC[…] (the file is partially encrypted; re-encrypt it)',
    });
  });

  test('findUnencryptedValues shows sequence indices', async () => {
    const out = await encrypt('list:\n    - a\n    - b\n', { recipients: [TEST_RECIPIENT], format: 'yaml' });
    const edited = out.replace(/(- ENC\[[^\]]+\]\n)\s+- ENC\[[^\]]+\]/, '$1    - clear');
    assert.deepEqual(findUnencryptedValues(edited), ['list[1]']);
  });
});
