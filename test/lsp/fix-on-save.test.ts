// Fix-all on save follows the last keystroke at once: the server must compute it from the text as
// it is now, not from the findings of the last re-check (which waits for typing to pause).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionRequest, type CodeAction, type TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits } from '../../server/src/fixes';
import { TestClient, tempRepo } from '../helpers/lsp-client';

const FILE = 'apps/config.yaml';
const TEXT = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: a\n  mode: b\n';
let client: TestClient;

before(async () => {
  client = await TestClient.ready(tempRepo({ 'apps/kustomization.yaml': 'resources:\n  - config.yaml\n', [FILE]: TEXT }));
});
after(() => client?.close());

test('source.fixAll right after an edit (no pause for the re-check): its edit fits the new text and carries its version', async () => {
  await client.open(FILE, TEXT);
  await client.waitForDiagnostics(FILE, (list) => list.some((d) => d.code === 'yaml/duplicate-key'));
  // Two lines above the duplicate, then fix-all at once, as a save right after typing does.
  const edited = `# one\n# two\n${TEXT}`;
  await client.change(FILE, edited);
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: client.uri(FILE) },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] },
  })) as CodeAction[];
  assert.equal(actions.length, 1);
  const [change] = actions[0]!.edit!.documentChanges as TextDocumentEdit[];
  assert.equal(change!.textDocument.version, 2);
  assert.equal(applyTextEdits(edited, change!.edits), '# one\n# two\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: b\n');
});
