/** Real files written by sops 3.3–3.13 decrypt to their documented plaintext, MAC verified. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decrypt, decryptFile, decryptWithDataKey, inspect, SopsError } from '../../../server/src/sops/index';
import { unwrapDataKey } from '../../../server/src/sops/age';
import { parseIni } from '../../../server/src/sops/iniStore';
import { readMetadata } from '../../../server/src/sops/metadata';
import { TEST_RECIPIENT, TEST_RECIPIENT_2 } from './fixture-keys';
import { fixture, gpgDecrypt, identitiesIn, needsTool, needsVectors, pgpEnc, vector, withGnupgHome } from './helpers';

const ageKeys = () => [...identitiesIn('age/keys.txt')];
const ageEntries = async (text: string) => (JSON.parse(text) as { sops: { age: Array<{ recipient: string; enc: string }> } }).sops.age;

describe('age vectors (sops 3.7.x)', { skip: needsVectors }, () => {
  for (const [file, expected] of [
    ['age/example.yaml', 'example.plain.yaml'],
    ['age/example.json', 'example.plain.json'],
  ] as const) {
    test(`${file} decrypts with either test key`, async () => {
      for (const key of ageKeys()) {
        const result = await decryptFile(vector(file), { filePath: file, identities: [key] });
        assert.equal(result.backend, 'builtin');
        assert.equal(result.plaintext, fixture(expected));
        assert.deepEqual(result.warnings, [], 'every encrypted comment opened with its container path as AAD');
      }
    });
  }

  test('the values of age/example.yaml are what the sops example says', async () => {
    const plain = await decrypt(vector('age/example.yaml'), { identities: ageKeys() });
    assert.match(plain, /^myapp1: t00m4nys3cr3tzupdated$/m);
    assert.match(plain, /^ {8}password: c4r1b0u$/m);
    assert.match(plain, /^ {8}# private key for secret operations in app2$/m);
    assert.match(plain, /^ {4}- somelongvalueA+$/m);
  });

  test('age-signageos files decrypt with their identity', async () => {
    const identities = identitiesIn('age-signageos/age.txt');
    assert.equal(await decrypt(vector('age-signageos/test-age.yaml'), { identities }), fixture('test-age.plain.yaml'));
    assert.equal(await decrypt(vector('age-signageos/test-age2.yaml'), { identities }), fixture('test-age2.plain.yaml'));
    assert.equal(fixture('test-age2.plain.yaml'), 'test: xxx\n"yes": yyy\n');
    assert.equal(fixture('test-age.plain.yaml'), 'hello: encrypted here\n');
  });

  test('example.txt (binary store): the value and MAC layer gives the file as one value', async () => {
    const text = vector('age/example.txt');
    assert.equal(inspect(text).version, '3.7.1');
    const dataKey = await unwrapDataKey(await ageEntries(text), ageKeys(), 'example.txt');
    const plain = JSON.parse(decryptWithDataKey(text, dataKey, { format: 'json', filePath: 'example.txt' }).plaintext) as { data: string };
    assert.deepEqual(plain, { data: fixture('example.plain.txt') });
    assert.match(plain.data, /^Welcome to SOPS!\n/);
  });

  test('example.ini: the value and MAC layer (INI store), section comment included', async () => {
    const text = vector('age/example.ini');
    const meta = readMetadata(parseIni(text, 'example.ini').metadata, 'example.ini');
    assert.deepEqual(meta.age.map((a) => a.recipient), [TEST_RECIPIENT, TEST_RECIPIENT_2]);
    const dataKey = await unwrapDataKey(meta.age, ageKeys(), 'example.ini');
    const result = decryptWithDataKey(text, dataKey, { filePath: 'example.ini' });
    assert.equal(result.plaintext, fixture('example.plain.ini'));
    assert.match(result.plaintext, /^; An example file for use with sops!\n\[name\]\nfirstName = John\n/);
    assert.deepEqual(result.warnings, []);
    const tampered = text.replace('hi there!', 'hi there?');
    assert.throws(() => decryptWithDataKey(tampered, dataKey, { filePath: 'example.ini' }), { code: 'MAC_MISMATCH' });
  });

  test('example.txt and example.ini themselves go to the sops binary', async () => {
    for (const [file, what] of [['example.txt', 'a binary-store file'], ['example.ini', 'an INI file']]) {
      await assert.rejects(decrypt(vector(`age/${file}`), { filePath: `/repo/${file}`, identities: ageKeys(), sopsBinary: { env: { PATH: '' } } }), {
        code: 'BINARY_MISSING',
        message: `/repo/${file}: ${what} needs the sops binary, but no sops binary was found on PATH; install sops or set its path`,
      });
    }
  });

  test('mock_encrypted_datakey.age.txt opens with mock_identity.txt (sops age keysource test)', async () => {
    const key = await unwrapDataKey([{ recipient: 'mock', enc: vector('age/mock_encrypted_datakey.age.txt') }], identitiesIn('age/mock_identity.txt'), 'mock', 4);
    assert.equal(Buffer.from(key).toString('utf8'), 'data');
  });

  test('a wrong identity names the file and the recipients, not a value', async () => {
    await assert.rejects(
      decrypt(vector('age-signageos/test-age.yaml'), { filePath: 'test-age.yaml', identities: ageKeys() }),
      (e: unknown) =>
        e instanceof SopsError &&
        e.code === 'NO_MATCHING_KEY' &&
        e.message ===
          'test-age.yaml: none of the loaded age identities (2) can decrypt the data key (file recipients: age1gw5ew5aqytyhgzshedcdr243we6lp7dr5d9rc0mdff0fq0v7zcmq99n2rd)',
    );
  });

  test('a changed clear value fails the MAC check', async () => {
    const tampered = vector('age/example.yaml').replace('all: going to remain in clear text', 'all: going to remain in clear text!');
    await assert.rejects(decrypt(tampered, { filePath: 'example.yaml', identities: ageKeys() }), (e: unknown) => {
      assert.ok(e instanceof SopsError);
      assert.equal(e.code, 'MAC_MISMATCH');
      assert.equal(e.message, 'example.yaml: MAC mismatch: the file was modified outside sops (a value, its order, or the set of values changed)');
      return true;
    });
  });

  test('two swapped ciphertexts fail authentication, naming the key path', async () => {
    const text = vector('age/example.yaml');
    const user = /user: (ENC\[[^\]]+\])/.exec(text)![1];
    const password = /password: (ENC\[[^\]]+\])/.exec(text)![1];
    const swapped = text.replace(`user: ${user}`, `user: ${password}`).replace(`password: ${password}`, `password: ${user}`);
    await assert.rejects(decrypt(swapped, { filePath: 'example.yaml', identities: ageKeys() }), (e: unknown) => {
      assert.ok(e instanceof SopsError);
      assert.equal(e.code, 'DECRYPT_FAILED');
      assert.equal(
        e.message,
        'example.yaml: app2.db.user: could not decrypt the value (authentication failed: wrong data key, or the value was moved or tampered with)',
      );
      assert.ok(!e.message.includes('eve') && !e.message.includes('c4r1b0u'));
      return true;
    });
  });

  test('a removed MAC is refused', async () => {
    const noMac = vector('age/example.yaml').replace(/^ {4}mac: .*\n/m, '');
    await assert.rejects(decrypt(noMac, { filePath: 'example.yaml', identities: ageKeys() }), {
      code: 'MAC_MISSING',
      message: 'example.yaml: the file has no MAC (sops.mac is missing), refusing to trust it',
    });
  });

  test('a changed lastmodified breaks the MAC (it is the MAC AAD)', async () => {
    const moved = vector('age/example.yaml').replace('lastmodified: "2022-03-15T22:11:15Z"', 'lastmodified: "2022-03-15T22:11:16Z"');
    await assert.rejects(decrypt(moved, { identities: ageKeys() }), { code: 'MAC_MISMATCH' });
  });
});

describe('pgp vectors: value and MAC layer with the data key from gpg', { skip: needsVectors || needsTool('gpg', 'gnupg') }, () => {
  const open = (file: string, home: string) => {
    const text = vector(`pgp/${file}`);
    return decryptWithDataKey(text, gpgDecrypt(home, pgpEnc(text)), { filePath: file });
  };

  test('example.yaml (sops 3.10.2) has the plaintext of age/example.yaml', () => {
    withGnupgHome((home) => {
      // The two upstream examples differ in one clear sentence only.
      const expected = fixture('example.plain.yaml').replace('the _encrypted suffix', 'the _unencrypted suffix');
      assert.equal(open('example.yaml', home).plaintext, expected);
    });
  });

  test('example.json (sops 3.5.0) has the plaintext of age/example.json', () => {
    withGnupgHome((home) => assert.equal(open('example.json', home).plaintext, fixture('example.plain.json')));
  });

  test('format.enc.yaml and format.enc.json (sops 3.13.1)', () => {
    withGnupgHome((home) => {
      assert.equal(open('format.enc.yaml', home).plaintext, 'foo: bar\n');
      assert.deepEqual(JSON.parse(open('format.enc.json', home).plaintext), { foo: 'bar' });
    });
  });

  test('comments.enc.yaml: encrypted top-level comments (AAD ":") give comments.yaml', () => {
    withGnupgHome((home) => {
      const result = open('comments.enc.yaml', home);
      assert.equal(result.plaintext, vector('pgp/comments.yaml').trimEnd() + '\n');
      assert.deepEqual(result.warnings, []);
    });
  });

  test('comments left clear by sops 3.3.1 are kept, with a warning naming no text', () => {
    withGnupgHome((home) => {
      const result = open('comments_unencrypted_comments.yaml', home);
      assert.equal(result.plaintext, vector('pgp/comments.yaml').trimEnd() + '\n');
      assert.deepEqual(result.warnings, [
        'comments_unencrypted_comments.yaml: comment in (top level): comment was not encrypted (old sops); kept as is',
        'comments_unencrypted_comments.yaml: comment in (top level): comment was not encrypted (old sops); kept as is',
      ]);
    });
  });

  test('multiple_keys.yaml: both PGP keys unwrap the same data key', () => {
    withGnupgHome((home) => {
      const text = vector('pgp/multiple_keys.yaml');
      const a = gpgDecrypt(home, pgpEnc(text));
      const b = gpgDecrypt(home, pgpEnc(text, 'D7229043384BCC60326C6FB9D8720D957C3D3074'));
      assert.deepEqual(a, b);
      assert.equal(decryptWithDataKey(text, a).plaintext, 'message: hello\n');
    });
  });

  test('no_mac.yaml is refused: MAC missing', () => {
    withGnupgHome((home) => {
      assert.throws(() => open('no_mac.yaml', home), {
        code: 'MAC_MISSING',
        message: 'no_mac.yaml: the file has no MAC (sops.mac is missing), refusing to trust it',
      });
    });
  });

  test('a wrong data key fails on the first value, naming its path', () => {
    assert.throws(() => decryptWithDataKey(vector('pgp/format.enc.yaml'), Buffer.alloc(32, 7), { filePath: 'format.enc.yaml' }), {
      code: 'DECRYPT_FAILED',
      message: 'format.enc.yaml: foo: could not decrypt the value (authentication failed: wrong data key, or the value was moved or tampered with)',
    });
  });
});

describe('pgp-only files without the sops binary', { skip: needsVectors }, () => {
  test('name what is missing', async () => {
    await assert.rejects(
      decrypt(vector('pgp/format.enc.yaml'), { filePath: '/repo/format.enc.yaml', identities: [], sopsBinary: { binaryPath: '/nonexistent/sops' } }),
      {
        code: 'BINARY_MISSING',
        message:
          '/repo/format.enc.yaml: a file whose data key is wrapped only with pgp master keys needs the sops binary, but the configured sops binary /nonexistent/sops does not exist; install sops or set its path',
      },
    );
  });
});

describe('structure-only vectors (sops 3.7.3, Azure Key Vault)', { skip: needsVectors }, () => {
  test('our encryption of unencrypted_multi.yaml has the layout sops wrote in encrypted_multi.yaml', async () => {
    const { encrypt } = await import('../../../server/src/sops/index');
    const ours = await encrypt(vector('structure-only/unencrypted_multi.yaml'), {
      recipients: [TEST_RECIPIENT],
      format: 'yaml',
      selection: { key: 'encrypted_regex', value: '.*(PrivateKey|password|_secret|token)' },
    });
    // Compare the documents without their sops blocks, with every ENC[…] reduced to its type.
    const shape = (text: string) =>
      text
        .split(/^---\n/m)
        .map((doc) => doc.slice(0, doc.indexOf('sops:\n')).replace(/ENC\[AES256_GCM,[^\]]*type:(\w+)\]/g, 'ENC[$1]'));
    assert.deepEqual(shape(ours), shape(vector('structure-only/encrypted_multi.yaml')));
  });
});
