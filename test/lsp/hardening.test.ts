// Malformed messages, hostile configs and symbolic links through a real connection: the server
// answers InvalidParams, ignores malformed notifications, and never ends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, ErrorCodes, FileChangeType, ResponseError, WorkspaceSymbolRequest, type SymbolInformation } from 'vscode-languageserver-protocol/node';
import { SopsDecryptRequest } from '../../server/src/protocol';
import { copyExample, TestClient } from '../helpers/lsp-client';

let client: TestClient;

before(async () => {
  client = await TestClient.ready(copyExample());
});

after(() => client?.close());

/** Every request the server registers that takes params, and the params it accepts. */
const REQUESTS = [
  'textDocument/codeAction',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/documentLink',
  'textDocument/completion',
  'textDocument/prepareRename',
  'textDocument/rename',
  'textDocument/hover',
  'textDocument/codeLens',
  'textDocument/documentSymbol',
  'textDocument/willSaveWaitUntil',
  'workspace/symbol',
  'gitopsGuardrails/fileContext',
  'gitopsGuardrails/render',
  'gitopsGuardrails/sops/encrypt',
  'gitopsGuardrails/sops/decrypt',
  'gitopsGuardrails/sops/reencrypt',
  'gitopsGuardrails/sops/repair',
  'gitopsGuardrails/sops/status',
];
/** Requests without params: whatever params come, they answer. */
const PARAMLESS = ['gitopsGuardrails/clusters', 'gitopsGuardrails/components', 'gitopsGuardrails/graph'];
const NOTIFICATIONS = [
  'textDocument/didOpen',
  'textDocument/didChange',
  'textDocument/didClose',
  'textDocument/didSave',
  'textDocument/willSave',
  'workspace/didChangeWatchedFiles',
  'workspace/didChangeConfiguration',
  'gitopsGuardrails/workspaceTrust',
  '$/setTrace',
  '$/cancelRequest',
  'initialized',
];

const MALFORMED: unknown[] = [
  null,
  {},
  42,
  'text',
  [],
  [null],
  { textDocument: null },
  { textDocument: { uri: 5 }, position: { line: -1, character: 0 } },
  { textDocument: { uri: 'file:///x.yaml' }, position: { line: 'a', character: 0 } },
  { textDocument: { uri: 'file:///x.yaml' }, position: { line: 1e12, character: 0 } },
  { changes: null },
  { changes: [{ uri: null, type: 1 }] },
  { changes: [{ uri: 'file:///x', type: 9 }] },
  { uri: 'file:///x', text: null },
  { query: null },
  { textDocument: { uri: 'file:///x.yaml', version: 1 }, contentChanges: [{}] },
  { textDocument: { uri: 'file:///x.yaml', languageId: 'yaml', version: 'one', text: 1 } },
  { settings: null },
  { trusted: 'yes' },
];

async function stillAnswers(): Promise<void> {
  const symbols = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'Namespace/podinfo' })) as SymbolInformation[];
  assert.equal(symbols.length, 1);
  assert.equal(client.exited, false);
}

/** Params malformed for every request that takes params. */
const MALFORMED_FOR_ALL: unknown[] = [null, {}, 42, 'text', [], [null], { textDocument: null }, { textDocument: { uri: 5 }, position: { line: -1, character: 0 } }];
const AT = { textDocument: { uri: 'file:///x.yaml' } };
/** And malformed for some: wrong positions, wrong fields. */
const MALFORMED_FOR: Record<string, unknown[]> = {
  position: [
    { ...AT, position: { line: 'a', character: 0 } },
    { ...AT, position: { line: 1e12, character: 0 } },
    { ...AT, position: { line: 0 } },
  ],
  sops: [{ uri: 'file:///x', text: null }, { uri: 'no scheme', text: '' }],
};
const EXTRA: Record<string, unknown[]> = {
  'textDocument/definition': MALFORMED_FOR.position,
  'textDocument/hover': MALFORMED_FOR.position,
  'textDocument/completion': [...MALFORMED_FOR.position, { ...AT, position: { line: 0, character: 0 }, context: { triggerKind: 'x' } }],
  'textDocument/prepareRename': MALFORMED_FOR.position,
  'textDocument/rename': [{ ...AT, position: { line: 0, character: 0 }, newName: 3 }],
  'textDocument/references': [{ ...AT, position: { line: 0, character: 0 } }],
  'textDocument/codeAction': [{ ...AT, range: { start: { line: 0, character: 0 } }, context: { diagnostics: [] } }, { ...AT, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: null } }],
  'workspace/symbol': [{ query: null }],
  'gitopsGuardrails/sops/encrypt': MALFORMED_FOR.sops,
  'gitopsGuardrails/sops/decrypt': MALFORMED_FOR.sops,
  'gitopsGuardrails/sops/repair': MALFORMED_FOR.sops,
  'gitopsGuardrails/sops/status': MALFORMED_FOR.sops,
  'gitopsGuardrails/render': [{ uri: 'file:///x.yaml', position: { line: -1, character: 0 } }, { uri: 'file:///x.yaml', ref: 'main' }, { uri: 'file:///x.yaml', cluster: 3 }],
  'gitopsGuardrails/sops/reencrypt': [{ uri: 'file:///x', original: '', edited: null }],
};

test('malformed params of every request are answered with InvalidParams', async () => {
  for (const method of REQUESTS) {
    for (const params of [...MALFORMED_FOR_ALL, ...(EXTRA[method] ?? [])]) {
      const answer = await client.connection.sendRequest(method, params).then(
        (result) => `accepted: ${JSON.stringify(result)}`,
        (error) => (error instanceof ResponseError ? error.code : String(error)),
      );
      assert.equal(answer, ErrorCodes.InvalidParams, `${method} ${JSON.stringify(params)}`);
    }
  }
  await stillAnswers();
});

test('requests without params answer whatever params they get', async () => {
  for (const method of PARAMLESS) for (const params of MALFORMED) await client.connection.sendRequest(method, params);
  await stillAnswers();
});

test('malformed notifications are ignored with a log line; the server goes on', async () => {
  for (const method of NOTIFICATIONS) for (const params of MALFORMED) await client.connection.sendNotification(method, params);
  await stillAnswers();
});

test('a hostile config typed character by character: the server lives and reports each bad entry', async () => {
  const file = '.gitops-guardrails.yaml';
  const text = 'ignore: [""]\nclusters:\n  - name: prod\n    path: clusters/prd\nlayers: 5\nrules: {a: b}\n';
  await client.open(file, '');
  for (let i = 1; i <= text.length; i++) await client.change(file, text.slice(0, i));
  const diagnostics = await client.waitForDiagnostics(file, (list) => list.length === 4);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range.start.line, d.message]),
    [
      ['config/invalid', 0, '"ignore" entry 1: an empty pattern matches nothing; remove it or write a path.'],
      ['config/invalid', 3, 'Cluster "prod": path "clusters/prd" does not exist; this cluster is not checked.'],
      ['config/invalid', 4, '"layers" must be a list of {name, paths}, lowest layer first.'],
      ['config/invalid', 5, 'Unknown rule "a".'],
    ],
  );
  // Saved as typed, then the buffer closed: read from disk, the same findings, and the server lives.
  writeFileSync(path.join(client.root, file), text);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: client.uri(file) } });
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri(file), type: FileChangeType.Changed }] });
  await client.waitForDiagnostics(file, (list) => list.length === 4);
  await stillAnswers();
  rmSync(path.join(client.root, file));
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri(file), type: FileChangeType.Deleted }] });
  await client.waitForDiagnostics(file, (list) => list.length === 0);
});

test('a symbolic link created in the workspace is not followed, as the initial scan does not', async () => {
  const outside = mkdtempSync(path.join(os.tmpdir(), 'gg-outside-'));
  try {
    writeFileSync(path.join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: stolen-outside\nstringData:\n  password: hunter2\n');
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(client.root, 'environments/apps/podinfo/linked.yaml'));
    symlinkSync(outside, path.join(client.root, 'environments/linked-folder'));
    const version = client.modelVersions.at(-1)!;
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [
        { uri: client.uri('environments/apps/podinfo/linked.yaml'), type: FileChangeType.Created },
        { uri: client.uri('environments/linked-folder'), type: FileChangeType.Created },
        { uri: client.uri('environments/linked-folder/secret.yaml'), type: FileChangeType.Created },
      ],
    });
    await client.waitForModelChange(version);
    const symbols = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'Secret/stolen' })) as SymbolInformation[];
    assert.deepEqual(symbols, []);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test('a folder created with files in it is read whole; deleted, its files leave the model', async () => {
  const folder = path.join(client.root, 'environments/apps/extra');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra-created\n');
  let version = client.modelVersions.at(-1)!;
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri('environments/apps/extra'), type: FileChangeType.Created }] });
  await client.waitForModelChange(version);
  const found = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'Namespace/extra-created' })) as SymbolInformation[];
  assert.equal(found.length, 1);
  rmSync(folder, { recursive: true });
  version = client.modelVersions.at(-1)!;
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri('environments/apps/extra'), type: FileChangeType.Deleted }] });
  await client.waitForModelChange(version);
  assert.deepEqual(await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'Namespace/extra-created' }), []);
});

test('untrusted workspace: the sops binary is not run, and SOPS_AGE_KEY_CMD reaches it only with consent', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-trust-'));
  const marker = path.join(dir, 'ran.json');
  const fakeSops = path.join(dir, 'sops');
  writeFileSync(fakeSops, `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(marker)}, JSON.stringify({ keyCmd: process.env.SOPS_AGE_KEY_CMD ?? null }));\nprocess.stdout.write('a=b\\n');\n`);
  chmodSync(fakeSops, 0o755);
  const previous = process.env.SOPS_AGE_KEY_CMD;
  process.env.SOPS_AGE_KEY_CMD = 'echo not-a-key';
  const start = (trusted: boolean, allowKeyCommand: boolean) => TestClient.start(copyExample(), {}, { workspaceTrusted: trusted, sops: { binary: fakeSops, allowKeyCommand } });
  try {
    const untrusted = await start(false, true);
    try {
      await assert.rejects(untrusted.connection.sendRequest(SopsDecryptRequest, { uri: untrusted.uri('app.env'), text: 'a=b\n' }), (error: ResponseError<unknown>) => {
        assert.match(error.message, /needs the sops binary, which is not run here: the workspace is not trusted \(Restricted Mode\)/);
        return true;
      });
      assert.equal(existsSync(marker), false);
      // Trust granted during the session: the binary runs, with the variable (consent given).
      await untrusted.connection.sendNotification('gitopsGuardrails/workspaceTrust', { trusted: true });
      assert.deepEqual(await untrusted.connection.sendRequest(SopsDecryptRequest, { uri: untrusted.uri('app.env'), text: 'a=b\n' }), { text: 'a=b\n' });
      assert.deepEqual(JSON.parse(readFileSync(marker, 'utf8')), { keyCmd: 'echo not-a-key' });
    } finally {
      await untrusted.close();
    }
    rmSync(marker);
    const noConsent = await start(true, false);
    try {
      await noConsent.connection.sendRequest(SopsDecryptRequest, { uri: noConsent.uri('app.env'), text: 'a=b\n' });
      assert.deepEqual(JSON.parse(readFileSync(marker, 'utf8')), { keyCmd: null });
    } finally {
      await noConsent.close();
    }
  } finally {
    if (previous === undefined) delete process.env.SOPS_AGE_KEY_CMD;
    else process.env.SOPS_AGE_KEY_CMD = previous;
    rmSync(dir, { recursive: true, force: true });
  }
});
