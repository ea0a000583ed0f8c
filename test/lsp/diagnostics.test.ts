import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeActionRequest,
  ExecuteCommandRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  type CodeAction,
  type TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { applyTextEdits } from '../../server/src/fixes';
import { TestClient } from '../helpers/lsp-client';

const EXAMPLE = path.resolve(__dirname, '../../examples/layered-repo');
let root: string;
let client: TestClient;

before(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'gg-lsp-'));
  cpSync(EXAMPLE, root, { recursive: true });
  client = await TestClient.start(root);
});

after(async () => {
  await client?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('publishes diagnostics for a file that was never opened, with rule code, source and docs link', async () => {
  const [d] = await client.waitForDiagnostics('clusters/staging/apps.yaml', (list) => list.length > 0);
  assert.equal(d.code, 'flux/path-not-found');
  assert.equal(d.source, 'gitops-guardrails');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: { line: 10, character: 8 }, end: { line: 10, character: 52 } });
  assert.equal(d.message, 'spec.path "./environments/apps/podinfo/overlays/staging" of Kustomization podinfo does not exist in this repository; its deepest existing folder is "./environments/apps/podinfo".');
  assert.match(d.codeDescription!.href, /README\.md#fluxpath-not-found$/);
});

test('a quick fix applied through the protocol removes its diagnostic', async () => {
  const file = 'environments/apps/podinfo/pdb.yaml';
  const [d] = await client.waitForDiagnostics(file, (list) => list.some((x) => x.code === 'kustomize/unlisted-manifest'));
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: client.uri(file) },
    range: d.range,
    context: { diagnostics: [d] },
  })) as CodeAction[];
  assert.deepEqual(actions.map((a) => a.title), [
    'Add pdb.yaml to resources of environments/apps/podinfo/kustomization.yaml',
    'Disable kustomize/unlisted-manifest for this line',
    'Disable kustomize/unlisted-manifest for this file',
    'Disable kustomize/unlisted-manifest in .gitops-guardrails.yaml',
  ]);
  const [change] = actions[0].edit!.documentChanges as TextDocumentEdit[];
  assert.equal(change.textDocument.uri, client.uri('environments/apps/podinfo/kustomization.yaml'));
  // Apply the edit as an editor would: to the buffer it opens, then save it to disk.
  const target = path.join(root, 'environments/apps/podinfo/kustomization.yaml');
  const original = readFileSync(target, 'utf8');
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: change.textDocument.uri, languageId: 'yaml', version: 1, text: original } });
  const edited = applyTextEdits(original, change.edits);
  assert.ok(edited.includes('  - pdb.yaml\n'));
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: change.textDocument.uri, version: 2 }, contentChanges: [{ text: edited }] });
  await client.waitForDiagnostics(file, (list) => list.length === 0);
});

test('edits in an open buffer are re-checked before saving', async () => {
  const file = 'clusters/us-west/apps.yaml';
  await client.waitForDiagnostics(file, (list) => list.some((x) => x.code === 'flux/unknown-dependency'));
  const text = readFileSync(path.join(root, file), 'utf8');
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: client.uri(file), languageId: 'yaml', version: 1, text } });
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: client.uri(file), version: 2 },
    contentChanges: [{ range: { start: { line: 9, character: 12 }, end: { line: 9, character: 21 } }, text: 'postgres' }],
  });
  await client.waitForDiagnostics(file, (list) => list.length === 0);
});

test('a file created on disk is picked up from a file-system notification', async () => {
  const kustomization = 'environments/apps/podinfo/kustomization.yaml';
  await client.waitForDiagnostics(kustomization, (list) => list.some((x) => x.code === 'kustomize/missing-resource'));
  writeFileSync(path.join(root, 'environments/apps/podinfo/hpa.yaml'), 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: podinfo\n');
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri('environments/apps/podinfo/hpa.yaml'), type: FileChangeType.Created }] });
  await client.waitForDiagnostics(kustomization, (list) => !list.some((x) => x.code === 'kustomize/missing-resource'));
});

test('"Disable <rule> for this line" from the lightbulb suppresses that diagnostic once the buffer changes', async () => {
  const file = 'environments/apps/podinfo/deployment.yaml';
  const before = await client.waitForDiagnostics(file, (list) => list.length > 0);
  const [d] = before;
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: client.uri(file) },
    range: d.range,
    context: { diagnostics: [d] },
  })) as CodeAction[];
  const disable = actions.find((a) => a.title === `Disable ${d.code} for this line`);
  assert.ok(disable, actions.map((a) => a.title).join(', '));
  const [change] = disable!.edit!.documentChanges as TextDocumentEdit[];
  assert.equal(change.textDocument.uri, client.uri(file));
  const original = readFileSync(path.join(root, file), 'utf8');
  const edited = applyTextEdits(original, change.edits);
  assert.equal(edited.split('\n')[d.range.start.line].trim(), `# gitops-guardrails-disable-next-line ${d.code}`);
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: client.uri(file), languageId: 'yaml', version: 1, text: original } });
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: client.uri(file), version: 2 }, contentChanges: [{ text: edited }] });
  const after = await client.waitForDiagnostics(file, (list) => list.length === before.length - 1);
  assert.deepEqual(after.map((x) => x.code), before.slice(1).map((x) => x.code));
});

test('source.fixAll.gitops-guardrails (fix on save) applies the safe fixes of the file; the lightbulb does not list it', async () => {
  const file = 'environments/services/postgres/backup-check.yaml';
  const [d] = await client.waitForDiagnostics(file, (list) => list.some((x) => x.code === 'resources/missing'));
  const ask = async (only?: string[]) =>
    (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client.uri(file) },
      range: d.range,
      context: { diagnostics: [], ...(only ? { only } : {}) },
    })) as CodeAction[];
  assert.equal((await ask()).some((a) => a.kind === 'source.fixAll.gitops-guardrails'), false);
  assert.equal((await ask(['quickfix'])).some((a) => a.kind === 'source.fixAll.gitops-guardrails'), false);
  const onSave = await ask(['source.fixAll']);
  assert.deepEqual(onSave.map((a) => [a.kind, a.title]), [['source.fixAll.gitops-guardrails', 'Fix all safe GitOps Guardrails problems']]);
  const [change] = onSave[0].edit!.documentChanges as TextDocumentEdit[];
  assert.equal(change.textDocument.uri, client.uri(file));
  const original = readFileSync(path.join(root, file), 'utf8');
  const fixed = applyTextEdits(original, change.edits);
  assert.match(fixed, /resources:\n\s+requests:\n\s+cpu: 100m/);
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: client.uri(file), languageId: 'yaml', version: 1, text: original } });
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: client.uri(file), version: 2 }, contentChanges: [{ text: fixed }] });
  await client.waitForDiagnostics(file, (list) => !list.some((x) => x.code === 'resources/missing'));
  assert.deepEqual(await ask(['source.fixAll']), []);
});

test('a fix that creates files opens them once applied: its command asks the server, which sends window/showDocument', async () => {
  const file = 'environments/apps/grafana/namespace.yaml';
  const [d] = (await client.waitForDiagnostics(file, (list) => list.some((x) => x.code === 'quota/missing'))).filter((x) => x.code === 'quota/missing');
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: client.uri(file) },
    range: d.range,
    context: { diagnostics: [d] },
  })) as CodeAction[];
  const create = actions.find((a) => (a.edit?.documentChanges ?? []).some((c) => 'kind' in c && c.kind === 'create'))!;
  assert.ok(create, actions.map((a) => a.title).join(', '));
  const created = (create.edit!.documentChanges ?? []).filter((c): c is { kind: 'create'; uri: string } => 'kind' in c && c.kind === 'create').map((c) => c.uri);
  assert.deepEqual(create.command, { title: 'Open the created files', command: 'gitops-guardrails.showCreatedFiles', arguments: created });
  client.shownDocuments.length = 0;
  await client.connection.sendRequest(ExecuteCommandRequest.type, { command: create.command!.command, arguments: create.command!.arguments });
  // The first created file ends in front: it is opened last, with the focus.
  assert.deepEqual(client.shownDocuments, created.map((uri, i) => ({ uri, takeFocus: i === 0 })).reverse());
  // Fixes that create nothing run no command.
  assert.equal(actions.filter((a) => !(a.edit?.documentChanges ?? []).some((c) => 'kind' in c && c.kind === 'create')).some((a) => a.command), false);
});
