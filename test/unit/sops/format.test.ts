/** The file format details: typing as go-yaml does, metadata layout, multi-document, comments. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decrypt, encrypt, SopsError } from '../../../server/src/sops/index';
import { TEST_IDENTITY, TEST_RECIPIENT } from './fixture-keys';

const enc = (plain: string, extra: Parameters<typeof encrypt>[1] = {}) =>
  encrypt(plain, { recipients: [TEST_RECIPIENT], format: 'yaml', now: new Date('2026-01-02T03:04:05.678Z'), ...extra });
const dec = (text: string, filePath?: string) => decrypt(text, { identities: [TEST_IDENTITY], format: 'yaml', filePath });
const typeOf = (text: string, key: string) => new RegExp(`^\\s*${key}: ENC\\[AES256_GCM,data:[^,]+,iv:[^,]+,tag:[^,]+,type:(\\w+)\\]$`, 'm').exec(text)?.[1];

describe('YAML scalars are typed as go-yaml v3 types them', () => {
  test('ints, floats, bools, timestamps and strings', async () => {
    const out = await enc('octal: 014\nunder: 1_000\nhex: 0x1F\nf: 2.50\nb: True\nyes_word: yes\nday: 2024-01-01\nquoted: "123"\n');
    assert.equal(typeOf(out, 'octal'), 'int');
    assert.equal(typeOf(out, 'under'), 'int');
    assert.equal(typeOf(out, 'hex'), 'int');
    assert.equal(typeOf(out, 'f'), 'float');
    assert.equal(typeOf(out, 'b'), 'bool');
    assert.equal(typeOf(out, 'yes_word'), 'str');
    assert.equal(typeOf(out, 'day'), 'time');
    assert.equal(typeOf(out, 'quoted'), 'str');
    assert.equal(await dec(out), 'octal: 12\nunder: 1000\nhex: 31\nf: 2.5\nb: true\nyes_word: "yes"\nday: 2024-01-01T00:00:00Z\nquoted: "123"\n');
  });

  test('strings that other YAML readers would take as numbers or booleans are quoted', async () => {
    const out = await enc('a_unencrypted: "1:20"\nb_unencrypted: "on"\nc_unencrypted: "0b101"\nd_unencrypted: plain\n');
    assert.match(out, /^a_unencrypted: "1:20"\nb_unencrypted: "on"\nc_unencrypted: "0b101"\nd_unencrypted: plain\n/);
  });

  test('empty strings and nulls stay as they are', async () => {
    const out = await enc('e: ""\nn: null\nt: ~\n');
    // go-yaml quotes YAML 1.1 booleans such as the key `n`, so do we.
    assert.match(out, /^e: ""\n"n": null\nt: null\n/);
    assert.equal(await dec(out), 'e: ""\n"n": null\nt: null\n');
  });

  test('a non-string key is refused, naming the key', async () => {
    await assert.rejects(enc('1: one\n', { filePath: 'k.yaml' }), {
      code: 'BAD_FORMAT',
      message: 'k.yaml: non-string key "1" (quote it to make it a string)',
    });
  });

  test('invalid YAML is reported without quoting the source', async () => {
    await assert.rejects(enc('password: "unterminated\n', { filePath: 'bad.yaml' }), (e: unknown) => {
      assert.ok(e instanceof SopsError && e.code === 'BAD_FORMAT');
      assert.match(e.message, /^bad\.yaml: invalid YAML at line \d+, column \d+ \(\w+\)$/);
      assert.ok(!e.message.includes('unterminated'));
      return true;
    });
  });

  test('a top-level sequence is refused as by sops', async () => {
    await assert.rejects(enc('- a\n', { filePath: 'l.yaml' }), { message: 'l.yaml: YAML documents that are sequences are not supported' });
  });
});

describe('metadata', () => {
  test('keys sorted, lastmodified quoted and without fraction, semver version, default suffix', async () => {
    const out = await enc('a: b\n');
    const block = out.slice(out.indexOf('sops:\n'));
    const keys = [...block.matchAll(/^ {4}(\w+):/gm)].map((m) => m[1]);
    assert.deepEqual(keys, ['age', 'lastmodified', 'mac', 'unencrypted_suffix', 'version']);
    assert.match(block, /^ {4}lastmodified: "2026-01-02T03:04:05Z"$/m);
    assert.match(block, /^ {4}version: \d+\.\d+\.\d+$/m);
    assert.match(block, /^ {4}unencrypted_suffix: _unencrypted$/m);
    assert.match(block, /^ {4}mac: ENC\[AES256_GCM,data:[^,]+,iv:[^,]+,tag:[^,]+,type:str\]$/m);
    assert.match(block, /^ {8}- enc: \|\n {12}-----BEGIN AGE ENCRYPTED FILE-----\n/m, "indented from the dash, as sops writes it");
    assert.match(block, new RegExp(`^ {10}recipient: ${TEST_RECIPIENT}$`, 'm'));
  });

  test('values use 32-byte IVs and 16-byte tags', async () => {
    const out = await enc('a: some value\n');
    const m = /^a: ENC\[AES256_GCM,data:([^,]+),iv:([^,]+),tag:([^,]+),type:str\]$/m.exec(out)!;
    assert.equal(Buffer.from(m[2], 'base64').length, 32);
    assert.equal(Buffer.from(m[3], 'base64').length, 16);
    assert.equal(Buffer.from(m[1], 'base64').length, 'some value'.length);
  });

  test('a file that already has a sops key is not encrypted twice', async () => {
    const once = await enc('a: b\n');
    await assert.rejects(enc(once, { filePath: 'x.yaml' }), { code: 'ALREADY_ENCRYPTED' });
  });
});

describe('multi-document YAML', () => {
  const plain = 'kind: Secret\nnote_unencrypted: first\nstringData:\n    password: one\n---\nkind: Secret\nnote_unencrypted: second\nstringData:\n    password: two\n';

  test('every document gets the same sops block; decrypt gives both back', async () => {
    const out = await enc(plain);
    const docs = out.split(/^---\n/m);
    assert.equal(docs.length, 2);
    const block = (d: string) => d.slice(d.indexOf('sops:'));
    assert.equal(block(docs[0]), block(docs[1]));
    assert.equal(await dec(out), plain);
  });

  test('one MAC covers all documents: a change in the second is detected', async () => {
    const out = await enc(plain);
    const tampered = out.replace('note_unencrypted: second', 'note_unencrypted: changed');
    assert.notEqual(tampered, out);
    await assert.rejects(dec(tampered), { code: 'MAC_MISMATCH' });
  });

  test('errors in the second document name it', async () => {
    const out = await enc(plain);
    const broken = out.replace(/password: ENC\[[^\]]+\](?![\s\S]*password: ENC)/, 'password: plain-text');
    await assert.rejects(dec(broken, 's.yaml'), {
      code: 'BAD_FORMAT',
      message: 's.yaml: document 2, stringData.password: value in an encrypted position is not ENC[…] (the file is partially encrypted; re-encrypt it)',
    });
  });
});

describe('comments', () => {
  test('are encrypted as #ENC[…type:comment] and come back in place', async () => {
    const plain = '# top\na: 1\nnested:\n    # inner\n    b: x\nlist:\n    - one\n    # in list\n    - two\n';
    const out = await enc(plain);
    assert.equal((out.match(/^\s*#ENC\[AES256_GCM,data:[^,]+,iv:[^,]+,tag:[^,]+,type:comment\]$/gm) ?? []).length, 3);
    assert.ok(!out.includes('inner'));
    assert.equal(await dec(out), plain);
  });

  test('comments in clear positions stay clear', async () => {
    const plain = 'keep_unencrypted:\n    # visible\n    a: 1\n';
    const out = await enc(plain);
    assert.match(out, /^ {4}# visible$/m);
    assert.equal(await dec(out), plain);
  });

  test('an end-of-line comment becomes a comment line before its key, as sops stores it', async () => {
    const out = await enc('a: 1 # why\n');
    assert.equal(await dec(out), '# why\na: 1\n');
  });
});

describe('clear timestamps and the MAC', () => {
  test('a clear date is kept as written and is part of the MAC in its Go time form', async () => {
    const plain = 'when_unencrypted: 2024-01-01\npassword: x\n';
    const out = await enc(plain);
    assert.match(out, /^when_unencrypted: 2024-01-01$/m);
    assert.equal(await dec(out), plain);
    await assert.rejects(dec(out.replace('2024-01-01', '2024-01-02')), { code: 'MAC_MISMATCH' });
  });

  test('files from sops < 3.10, whose MAC saw clear dates as text, still verify', async () => {
    const { parseFile, emitFile } = await import('../../../server/src/sops/document');
    const { encryptBranches } = await import('../../../server/src/sops/codec');
    const { encryptMac } = await import('../../../server/src/sops/mac');
    const { writeMetadata } = await import('../../../server/src/sops/metadata');
    const { wrapDataKey } = await import('../../../server/src/sops/age');
    const { DEFAULT_SELECTION } = await import('../../../server/src/sops/selection');
    const plain = 'when_unencrypted: 2024-01-01\npassword: x\n';
    const tree = parseFile(plain, 'yaml', 'old.yaml').branches;
    // Old go-yaml handed sops the date as the string "2024-01-01".
    const asText = parseFile('when_unencrypted: "2024-01-01"\npassword: x\n', 'yaml', 'old.yaml').branches;
    const dataKey = Buffer.alloc(32, 9);
    const opts = { selection: DEFAULT_SELECTION, macOnlyEncrypted: false, file: 'old.yaml' };
    const { branches } = encryptBranches(tree, dataKey, opts);
    const { mac: oldMac } = encryptBranches(asText, dataKey, opts);
    const lastModified = '2022-01-01T00:00:00Z';
    const meta = { age: [await wrapDataKey(dataKey, TEST_RECIPIENT)], foreign: {}, lastModified, mac: encryptMac(oldMac, dataKey, lastModified), selection: DEFAULT_SELECTION, macOnlyEncrypted: false, version: '3.7.1' };
    const oldFile = emitFile('yaml', branches, writeMetadata(meta));
    assert.equal(await dec(oldFile), plain);
    await assert.rejects(dec(oldFile.replace('2024-01-01', '2024-01-02')), { code: 'MAC_MISMATCH' });
  });
});

describe('comment AAD', () => {
  test('is the path of the enclosing mapping or sequence, ":" at top level', async () => {
    const { decryptText } = await import('../../../server/src/sops/cipher');
    const { unwrapDataKey } = await import('../../../server/src/sops/age');
    const { parse } = await import('yaml');
    const out = await enc('# top\nlorem:\n    - foo\n    # in list\n    - bar\nouter:\n    inner:\n        # deep\n        k: v\n');
    const meta = (parse(out) as { sops: { age: Array<{ recipient: string; enc: string }> } }).sops;
    const key = await unwrapDataKey(meta.age, [TEST_IDENTITY], 't');
    const comments = [...out.matchAll(/^\s*#(ENC\[[^\]]+\])$/gm)].map((m) => m[1]);
    assert.equal(comments.length, 3);
    assert.equal(decryptText(comments[0], key, ':', 't').text, ' top');
    assert.equal(decryptText(comments[1], key, 'lorem:', 't').text, ' in list');
    assert.equal(decryptText(comments[2], key, 'outer:inner:', 't').text, ' deep');
  });
});

describe('JSON', () => {
  test('key order is kept (integer-like keys too) and ints and floats keep their type', async () => {
    const plain = '{\n\t"b": 1,\n\t"10": 2.5,\n\t"a": [\n\t\ttrue,\n\t\tnull,\n\t\t""\n\t]\n}\n';
    const out = await encrypt(plain, { recipients: [TEST_RECIPIENT], format: 'json' });
    assert.match(out, /^\{\n\t"b": "ENC\[AES256_GCM,[^"]+,type:int\]",\n\t"10": "ENC\[AES256_GCM,[^"]+,type:float\]",\n\t"a": \[\n\t\t"ENC\[AES256_GCM,[^"]+,type:bool\]",\n\t\tnull,\n\t\t""\n\t\],\n\t"sops": \{\n/);
    assert.equal(await decrypt(out, { identities: [TEST_IDENTITY] }), plain);
  });

  test('invalid JSON names the line, not the content', async () => {
    await assert.rejects(encrypt('{\n\t"password": "x",\n\t"y": secret\n}\n', { recipients: [TEST_RECIPIENT], format: 'json', filePath: 'bad.json' }), {
      code: 'BAD_FORMAT',
      message: 'bad.json: invalid JSON at line 3 (unexpected character)',
    });
  });
});
