// A quick fix into a SOPS-encrypted file, over a real LSP connection: never a plain edit; offered
// as decrypt, edit, re-encrypt, whose edit is a file that decrypts with a valid MAC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, ApplyWorkspaceEditParams, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { decrypt, encrypt } from '../../server/src/sops/index';
import { tempRepo, TestClient } from '../helpers/lsp-client';
import { TEST_IDENTITY, TEST_RECIPIENT } from '../unit/sops/fixture-keys';

const VECTOR_KEYS = path.resolve(__dirname, '../../../shared/sops/vectors/age/keys.txt');
const needsVectors = existsSync(VECTOR_KEYS) ? false : `needs the shared SOPS vectors at ${VECTOR_KEYS} (absent)`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
    name: web
    namespace: web
spec:
    selector:
        matchLabels:
            app: web
    template:
        metadata:
            labels:
                app: web
        spec:
            containers:
                - name: web
                  image: nginx:1.27
`;

test('a fix into a SOPS file is a disabled plain action plus decrypt, edit, re-encrypt; the applied edit decrypts with a valid MAC', { skip: needsVectors }, async () => {
  const encrypted = await encrypt(DEPLOYMENT, { recipients: [TEST_RECIPIENT], format: 'yaml', selection: { key: 'encrypted_regex', value: '^(data|stringData)$' } });
  const root = tempRepo({
    'clusters/prod/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
    'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - namespace.yaml\n  - deploy.sops.yaml\n',
    'apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
    'apps/deploy.sops.yaml': encrypted,
  });
  const client = await TestClient.start(root, {}, { sops: { ageKeyFile: VECTOR_KEYS } });
  const applied: ApplyWorkspaceEditParams[] = [];
  client.connection.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams) => {
    applied.push(params);
    return { applied: true };
  });
  try {
    const diagnostics = await client.waitForDiagnostics('apps/deploy.sops.yaml', (d) => d.some((x) => x.code === 'resources/missing'));
    const diagnostic = diagnostics.find((x) => x.code === 'resources/missing')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: client.uri('apps/deploy.sops.yaml') },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    })) as CodeAction[];
    // The rule's own fixes (not the "Disable ..." ones, which edit only .gitops-guardrails.yaml there).
    const plain = actions.filter((a) => !a.command && !a.title.startsWith('Disable '));
    assert.ok(plain.length > 0);
    for (const action of plain) {
      assert.equal(action.edit, undefined, 'no plain edit of an encrypted file');
      assert.match(action.disabled?.reason ?? '', /^apps\/deploy\.sops\.yaml is SOPS-encrypted: an edit would break the MAC/);
    }
    // Nothing in the lightbulb edits the encrypted file as text.
    const edited = actions.flatMap((a) => (a.edit?.documentChanges ?? []).map((c) => ('textDocument' in c ? c.textDocument.uri : 'uri' in c ? c.uri : c.newUri)));
    assert.ok(!edited.includes(client.uri('apps/deploy.sops.yaml')), edited.join(', '));
    assert.deepEqual(actions.filter((a) => a.title.startsWith('Disable ')).map((a) => a.title), ['Disable resources/missing in .gitops-guardrails.yaml']);
    const reencrypting = actions.find((a) => a.title === `${plain[0].title} (decrypt, edit, re-encrypt with SOPS)`);
    assert.ok(reencrypting?.command, JSON.stringify(actions.map((a) => a.title)));
    await client.connection.sendRequest('workspace/executeCommand', { command: reencrypting.command.command, arguments: reencrypting.command.arguments });
    assert.equal(applied.length, 1);
    const [change] = applied[0].edit.documentChanges as TextDocumentEdit[];
    assert.equal(change.textDocument.uri, client.uri('apps/deploy.sops.yaml'));
    const newText = change.edits[0].newText;
    assert.match(newText, /^sops:$/m);
    const plaintext = await decrypt(newText, { identities: [TEST_IDENTITY], format: 'yaml' });
    assert.match(plaintext, /image: nginx:1\.27\n\s+resources:\n/);
  } finally {
    await client.close();
  }
});
