/** Reading sops files without keys: filestatus, recipients for hovers, hand-edited clear values. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findUnencryptedValues, inspect, isSopsEncrypted } from '../../../server/src/sops/index';
import { needsVectors, vector } from './helpers';

describe('isSopsEncrypted (as sops filestatus)', { skip: needsVectors }, () => {
  for (const file of ['age/example.yaml', 'age/example.json', 'pgp/format.enc.yaml', 'pgp/comments.enc.yaml', 'structure-only/encrypted_multi.yaml']) {
    test(`${file} is encrypted`, () => assert.equal(isSopsEncrypted(vector(file)), true));
  }
  test('a plain file is not', () => assert.equal(isSopsEncrypted(vector('pgp/plainfile.yaml')), false));
  test('a file without a MAC is not', () => assert.equal(isSopsEncrypted(vector('pgp/no_mac.yaml')), false));
  test('a plain file whose key merely mentions sops is not', () => assert.equal(isSopsEncrypted('sops:\n    note: hello\n'), false));
  test('broken YAML is not (and does not throw)', () => assert.equal(isSopsEncrypted('sops: [\n'), false));
});

describe('inspect', { skip: needsVectors }, () => {
  test('age recipients, lastmodified, version, selection', () => {
    const info = inspect(vector('age/example.yaml'));
    assert.deepEqual(info.recipients.age, ['age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw', 'age1tmaae3ld5vpevmsh5yacsauzx8jetg300mpvc4ugp5zr5l6ssq9sla97ep']);
    assert.equal(info.lastModified, '2022-03-15T22:11:15Z');
    assert.equal(info.version, '3.7.1');
    assert.deepEqual(info.selection, { key: 'unencrypted_suffix', value: '_unencrypted' });
  });

  test('PGP fingerprints', () => {
    assert.deepEqual(inspect(vector('pgp/multiple_keys.yaml')).recipients.pgp, ['FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4', 'D7229043384BCC60326C6FB9D8720D957C3D3074']);
  });

  test('a multi-document Azure Key Vault file', () => {
    const info = inspect(vector('structure-only/encrypted_multi.yaml'));
    assert.equal(info.documentCount, 2);
    assert.deepEqual(info.recipients.other, { azure_kv: ['https://bla.vault.azure.net/abcdefg'] });
    assert.deepEqual(info.selection, { key: 'encrypted_regex', value: '.*(PrivateKey|password|_secret|token)' });
    assert.equal(info.version, '3.7.3');
  });

  test('not a sops file', () => {
    assert.throws(() => inspect('a: b\n', { filePath: 'p.yaml' }), { code: 'NOT_ENCRYPTED', message: 'p.yaml: not a sops file (no top-level sops key)' });
  });
});

describe('findUnencryptedValues', { skip: needsVectors }, () => {
  test('none in sops-written files', () => {
    for (const file of ['age/example.yaml', 'age/example.json', 'structure-only/encrypted_multi.yaml']) assert.deepEqual(findUnencryptedValues(vector(file)), [], file);
  });

  test('hand-edited values are reported by path, per document', () => {
    const edited = vector('structure-only/encrypted_multi.yaml').replace(/(piet:\n\s+)password: ENC\[[^\]]+\]/, '$1password: 123456');
    assert.deepEqual(findUnencryptedValues(edited), ['[document 2] bla[0].piet.password']);
  });

  test('a plain file has none', () => assert.deepEqual(findUnencryptedValues('password: x\n'), []));
});
