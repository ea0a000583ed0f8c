// The SOPS requests over a real LSP connection: texts in and out of messages, errors from the engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidChangeConfigurationNotification, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import {
  SopsDecryptRequest,
  SopsEncryptRequest,
  SopsReencryptRequest,
  SopsRepairRequest,
  SopsStatusRequest,
} from '../../server/src/protocol';
import { copyExample, TestClient } from '../helpers/lsp-client';
import { MOCK_IDENTITY, TEST_IDENTITY, TEST_RECIPIENT } from '../unit/sops/fixture-keys';

const VECTOR_KEYS = path.resolve(__dirname, '../../../shared/sops/vectors/age/keys.txt');
const needsVectors = existsSync(VECTOR_KEYS) ? false : `needs the shared SOPS vectors at ${VECTOR_KEYS} (absent)`;

const SECRET_VALUE = 'guardrails-test-plaintext-5f1c';
const NEW_SECRET = `apiVersion: v1
kind: Secret
metadata:
    name: webhook
    namespace: podinfo
type: Opaque
stringData:
    url: https://hooks.example.com/${SECRET_VALUE}
`;
/** Plaintexts that must never appear in the server's stderr or log messages. */
const PLAINTEXTS = [SECRET_VALUE, 'example-not-a-real-password', 'example-not-a-real-cloudflare-token', 'example-hand-edited-webhook', 'hunter2-in-broken-yaml'];

const SOPS_ENV = ['SOPS_AGE_KEY', 'SOPS_AGE_KEY_FILE', 'SOPS_AGE_KEY_CMD', 'XDG_CONFIG_HOME'] as const;

interface Server {
  client: TestClient;
  logs: string[];
}

const emptyConfigDir = mkdtempSync(path.join(os.tmpdir(), 'gg-sops-config-'));
const servers: Server[] = [];

/** Starts a server on a copy of the example with only the given SOPS variables in its environment. */
async function startServer(env: Partial<Record<(typeof SOPS_ENV)[number], string>>): Promise<Server> {
  const saved = Object.fromEntries(SOPS_ENV.map((k) => [k, process.env[k]]));
  for (const key of SOPS_ENV) delete process.env[key];
  // No user keys file: the config folder is empty unless a test says otherwise.
  Object.assign(process.env, { XDG_CONFIG_HOME: emptyConfigDir }, env);
  try {
    const client = await TestClient.start(copyExample());
    const server: Server = { client, logs: [] };
    client.connection.onNotification('window/logMessage', (params: { message: string }) => server.logs.push(params.message));
    servers.push(server);
    await client.waitForModelChange();
    return server;
  } finally {
    for (const key of SOPS_ENV) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

let withKey: Server;
let withoutKey: Server;

before(async () => {
  [withKey, withoutKey] = await Promise.all([startServer({ SOPS_AGE_KEY: TEST_IDENTITY }), startServer({})]);
});

after(async () => {
  for (const { client } of servers) {
    await client.stop();
    rmSync(client.root, { recursive: true, force: true });
  }
  rmSync(emptyConfigDir, { recursive: true, force: true });
});

const read = (server: Server, file: string) => readFileSync(path.join(server.client.root, file), 'utf8');
const valueLines = (text: string) => text.slice(0, text.indexOf('\nsops:')).split('\n');
const ageBlock = (text: string) => /\n {4}age:\n[\s\S]*?(?=\n {4}encrypted_regex)/.exec(text)![0];

/** Asserts that a request fails with the engine's message, and returns that message. */
async function failure(promise: Promise<unknown>, message: RegExp): Promise<string> {
  let caught: unknown;
  await promise.catch((e) => (caught = e));
  assert.ok(caught instanceof ResponseError, `expected a ResponseError, got ${String(caught)}`);
  assert.equal(caught.code, LSPErrorCodes.RequestFailed);
  assert.match(caught.message, message);
  return caught.message;
}

test('encrypt then decrypt: the .sops.yaml creation rule of the file, and the same text back', async () => {
  const { client } = withKey;
  const uri = client.uri('environments/apps/podinfo/webhook.sops.yaml');
  const { text: encrypted } = await client.connection.sendRequest(SopsEncryptRequest, { uri, text: NEW_SECRET });
  assert.doesNotMatch(encrypted, new RegExp(SECRET_VALUE));
  assert.match(encrypted, /^ {4}url: ENC\[AES256_GCM,data:[^\]]+,type:str\]$/m);
  assert.match(encrypted, /^ {4}name: webhook$/m, 'encrypted_regex ^(data|stringData)$ leaves metadata in clear');
  assert.match(encrypted, new RegExp(`recipient: ${TEST_RECIPIENT}`));
  assert.match(encrypted, /^ {4}encrypted_regex: \^\(data\|stringData\)\$$/m);
  const { text: decrypted } = await client.connection.sendRequest(SopsDecryptRequest, { uri, text: encrypted });
  assert.equal(decrypted, NEW_SECRET);
});

test('reencrypt keeps the data key and the ciphertext of every unchanged value', async () => {
  const { client } = withKey;
  const file = 'environments/services/postgres/credentials.sops.yaml';
  const uri = client.uri(file);
  const original = read(withKey, file);
  const { text: plain } = await client.connection.sendRequest(SopsDecryptRequest, { uri, text: original });
  assert.match(plain, /^ {4}password: example-not-a-real-password$/m);
  const edited = plain.replace('example-not-a-real-password', `${SECRET_VALUE}-rotated`);
  const { text: saved } = await client.connection.sendRequest(SopsReencryptRequest, { uri, original, edited });
  const usernameLine = (t: string) => valueLines(t).find((l) => l.startsWith('    username: ENC['));
  assert.ok(usernameLine(original));
  assert.equal(usernameLine(saved), usernameLine(original));
  const changed = valueLines(saved).filter((l, i) => valueLines(original)[i] !== l);
  assert.deepEqual(changed.map((l) => l.replace(/ENC\[.*$/, 'ENC')), ['    password: ENC']);
  assert.equal(ageBlock(saved), ageBlock(original));
  assert.equal((await client.connection.sendRequest(SopsDecryptRequest, { uri, text: saved })).text, edited);
  // An unchanged plaintext gives the file back byte for byte.
  assert.equal((await client.connection.sendRequest(SopsReencryptRequest, { uri, original, edited: plain })).text, original);
});

test('repair encrypts a hand-edited value with the file\'s data key and keeps the other ciphertexts', async () => {
  const { client } = withKey;
  const file = 'environments/apps/podinfo/api-token.sops.yaml';
  const uri = client.uri(file);
  const original = read(withKey, file);
  await failure(client.connection.sendRequest(SopsDecryptRequest, { uri, text: original }), /stringData\.webhook: value in an encrypted position is not ENC\[…\] \(the file is partially encrypted; re-encrypt it\)$/);
  const result = await client.connection.sendRequest(SopsRepairRequest, { uri, text: original });
  assert.deepEqual(result.repaired, ['stringData.webhook']);
  assert.doesNotMatch(result.text, /example-hand-edited-webhook/);
  const tokenLine = (t: string) => t.split('\n').find((l) => l.startsWith('    token: ENC['));
  assert.equal(tokenLine(result.text), tokenLine(original));
  assert.equal(ageBlock(result.text), ageBlock(original));
  const { text: plain } = await client.connection.sendRequest(SopsDecryptRequest, { uri, text: result.text });
  assert.match(plain, /^ {4}webhook: example-hand-edited-webhook$/m);
});

test('status: encrypted with its recipients, a plaintext Secret, a hand-edited file', async () => {
  const { client } = withKey;
  const status = (file: string) => client.connection.sendRequest(SopsStatusRequest, { uri: client.uri(file), text: read(withKey, file) });
  assert.deepEqual(await status('environments/core/cert-manager/issuers/cloudflare-api-token.sops.yaml'), {
    encrypted: true,
    recipients: [TEST_RECIPIENT],
    lastModified: '2026-11-26T09:09:37Z',
    unencryptedValues: [],
  });
  assert.deepEqual(await status('environments/apps/podinfo/secret.yaml'), { encrypted: false, recipients: [], plaintextSecret: true });
  assert.deepEqual(await status('environments/apps/podinfo/deployment.yaml'), { encrypted: false, recipients: [], plaintextSecret: false });
  assert.deepEqual((await status('environments/apps/podinfo/api-token.sops.yaml')).unencryptedValues, ['stringData.webhook']);
});

test('encrypting a file no creation rule matches names the .sops.yaml it read', async () => {
  const { client } = withKey;
  const file = 'environments/apps/podinfo/secret.yaml';
  const message = await failure(
    client.connection.sendRequest(SopsEncryptRequest, { uri: client.uri(file), text: read(withKey, file) }),
    new RegExp(`secret\\.yaml: no matching creation rules found in ${client.root.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/\\.sops\\.yaml$`),
  );
  assert.doesNotMatch(message, /example-not-a-real-password/);
  await failure(
    client.connection.sendRequest(SopsEncryptRequest, { uri: client.uri('environments/services/postgres/credentials.sops.yaml'), text: read(withKey, 'environments/services/postgres/credentials.sops.yaml') }),
    /already has a top-level sops key/,
  );
});

test('decrypt without any key says where it looked', async () => {
  const { client } = withoutKey;
  const file = 'environments/core/cert-manager/issuers/cloudflare-api-token.sops.yaml';
  const message = await failure(
    client.connection.sendRequest(SopsDecryptRequest, { uri: client.uri(file), text: read(withoutKey, file) }),
    /cloudflare-api-token\.sops\.yaml: no age identity found to decrypt the data key; looked in: /,
  );
  assert.match(message, /SOPS_AGE_KEY \(not set\); SOPS_AGE_KEY_FILE \(not set\); SOPS_AGE_KEY_CMD \(not set\); user keys file .*gg-sops-config-[^/]+\/sops\/age\/keys\.txt \(not found\)$/);
});

test('the key file setting applies as soon as it changes', { skip: needsVectors }, async () => {
  const { client } = withoutKey;
  const file = 'environments/core/cert-manager/issuers/cloudflare-api-token.sops.yaml';
  const configure = (sops: Record<string, unknown>) => client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { gitopsGuardrails: { sops } } });
  await configure({ ageKeyFile: VECTOR_KEYS, binary: '', allowKeyCommand: false });
  try {
    const { text } = await client.connection.sendRequest(SopsDecryptRequest, { uri: client.uri(file), text: read(withoutKey, file) });
    assert.match(text, /^ {4}api-token: example-not-a-real-cloudflare-token$/m);
  } finally {
    await configure({});
  }
  await failure(client.connection.sendRequest(SopsDecryptRequest, { uri: client.uri(file), text: read(withoutKey, file) }), /no age identity found/);
});

test('a wrong key: the data key cannot be opened, and the message names the recipients', async () => {
  const server = await startServer({ SOPS_AGE_KEY: MOCK_IDENTITY });
  const file = 'environments/services/postgres/credentials.sops.yaml';
  await failure(
    server.client.connection.sendRequest(SopsDecryptRequest, { uri: server.client.uri(file), text: read(server, file) }),
    new RegExp(`credentials\\.sops\\.yaml: none of the loaded age identities \\(1\\) can decrypt the data key \\(file recipients: ${TEST_RECIPIENT}\\)$`),
  );
});

test('a tampered value is a MAC mismatch', async () => {
  const { client } = withKey;
  const file = 'environments/services/postgres/credentials.sops.yaml';
  const original = read(withKey, file);
  // Swapping two lines: each value still decrypts under its own key, but the MAC covers the order.
  const lines = original.split('\n');
  const user = lines.findIndex((l) => l.startsWith('    username: '));
  const reordered = [...lines.slice(0, user), lines[user + 1], lines[user], ...lines.slice(user + 2)].join('\n');
  await failure(client.connection.sendRequest(SopsDecryptRequest, { uri: client.uri(file), text: reordered }), /credentials\.sops\.yaml: MAC mismatch/);
});

test('a text that does not parse: the error quotes none of it', async () => {
  const { client } = withKey;
  const broken = 'stringData:\n    password: "hunter2-in-broken-yaml\nsops: [\n';
  const message = await failure(client.connection.sendRequest(SopsDecryptRequest, { uri: client.uri('x.sops.yaml'), text: broken }), /x\.sops\.yaml/);
  assert.doesNotMatch(message, /hunter2/);
});

test('no plaintext reached the servers\' stderr or log messages', () => {
  for (const { client, logs } of servers) {
    const output = client.stderr.join('') + logs.join('\n');
    for (const plaintext of PLAINTEXTS) assert.ok(!output.includes(plaintext), `${plaintext} appeared in the server's output`);
  }
});
