import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import { RenderRequest, type RenderResult } from '../../server/src/protocol';
import { FLUX_SYSTEM_SYNC, fluxKs } from '../helpers/repo';
import { tempRepo, TestClient } from '../helpers/lsp-client';

const cm = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: ${value}\n`;
const FILES = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps', '  targetNamespace: web\n'),
  'apps/kustomization.yaml': 'resources:\n  - cm.yaml\n',
  'apps/cm.yaml': cm('slow'),
};

let client: TestClient;
let untrusted: TestClient;
let root: string;

before(async () => {
  root = tempRepo(FILES);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  // The work tree moves on after the commit.
  writeFileSync(path.join(root, 'apps/cm.yaml'), cm('fast'));
  client = await TestClient.start(root);
  untrusted = await TestClient.start(root, {}, { workspaceTrusted: false });
  await Promise.all([client.waitForModelChange(), untrusted.waitForModelChange()]);
});

after(() => Promise.all([client, untrusted].map((c) => c?.close())));

const render = (c: TestClient, params: object) => c.connection.sendRequest(RenderRequest, { uri: c.uri('clusters/prod/apps.yaml'), ...params }) as Promise<RenderResult>;

test('renders what Flux applies for the Kustomization under the cursor, each object with its source', async () => {
  const result = await render(client, { position: { line: 3, character: 2 } });
  assert.equal(result.title, 'flux-system/apps in prod');
  assert.deepEqual(result.target, { kustomization: 'flux-system/apps', cluster: 'prod' });
  assert.equal(
    result.text,
    '# source: apps/cm.yaml:1 (Kustomization flux-system/apps)\napiVersion: v1\ndata:\n  mode: fast\nkind: ConfigMap\nmetadata:\n  labels:\n    kustomize.toolkit.fluxcd.io/name: apps\n    kustomize.toolkit.fluxcd.io/namespace: flux-system\n  name: settings\n  namespace: web\n',
  );
});

test('renders a kustomization folder as kustomize builds it, and HEAD as committed', async () => {
  const folder = (await client.connection.sendRequest(RenderRequest, { uri: client.uri('apps/kustomization.yaml') })) as RenderResult;
  assert.equal(folder.title, 'apps');
  assert.equal(folder.text, '# source: apps/cm.yaml:1\napiVersion: v1\ndata:\n  mode: fast\nkind: ConfigMap\nmetadata:\n  name: settings\n');
  const head = await render(client, { kustomization: 'flux-system/apps', cluster: 'prod', ref: 'HEAD' });
  assert.match(head.title, /^flux-system\/apps in prod \(HEAD [0-9a-f]{7}\)$/);
  assert.match(head.text, /\n {2}mode: slow\n/);
  assert.equal(head.text.replace('mode: slow', 'mode: fast'), (await render(client, { kustomization: 'flux-system/apps' })).text);
});

test('a Kustomization of the same name in two clusters\' files renders the one of the file asked about', async () => {
  const files = { 'clusters/a/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('a'), 'clusters/b/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('b'), 'clusters/a/apps.yaml': fluxKs('apps', './apps'), 'clusters/b/apps.yaml': fluxKs('apps', './apps'), 'apps/cm.yaml': cm('x') };
  const two = await TestClient.start(tempRepo(files));
  try {
    await two.waitForModelChange();
    const result = (await two.connection.sendRequest(RenderRequest, { uri: two.uri('clusters/b/apps.yaml'), position: { line: 0, character: 0 } })) as RenderResult;
    assert.deepEqual(result.target, { kustomization: 'flux-system/apps', cluster: 'b' });
  } finally {
    await two.close();
  }
});

test('in Restricted Mode HEAD is not read (git is a program), and nothing to render is an error', async () => {
  const head = await render(untrusted, { kustomization: 'flux-system/apps', ref: 'HEAD' });
  assert.equal(head.text, '# HEAD cannot be rendered: git is not run in Restricted Mode.\n');
  await assert.rejects(client.connection.sendRequest(RenderRequest, { uri: client.uri('apps/cm.yaml') }), /Nothing to render here: open a Flux Kustomization or a kustomization\.yaml\./);
  await assert.rejects(render(client, { kustomization: 'flux-system/nope' }), /No cluster applies the Flux Kustomization flux-system\/nope\./);
});

test('rendered ▸ lenses sit above each Flux Kustomization and on a kustomization.yaml, with the render target as argument', async () => {
  const lenses = async (file: string) => ((await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri(file) } })) as CodeLens[]).filter((l) => l.command?.title.startsWith('rendered ▸'));
  const [ks] = await lenses('clusters/prod/apps.yaml');
  assert.deepEqual(ks.command?.arguments, [{ uri: client.uri('clusters/prod/apps.yaml'), position: { line: 0, character: 0 } }]);
  assert.equal(ks.command?.command, 'gitopsGuardrails.showRenderedOutput');
  assert.equal((await lenses('apps/kustomization.yaml')).length, 1);
  assert.deepEqual(await lenses('apps/cm.yaml'), []);
});

test('a Flux Kustomization that two clusters apply has a rendered ▸ lens per cluster', async () => {
  const cluster = (name: string) => ({
    [`clusters/${name}/flux-system/gotk-sync.yaml`]: FLUX_SYSTEM_SYNC(name),
    [`clusters/${name}/kustomization.yaml`]: 'resources:\n  - flux-system/gotk-sync.yaml\n  - ../../shared/apps.yaml\n',
  });
  const two = await TestClient.start(tempRepo({ ...cluster('a'), ...cluster('b'), 'shared/apps.yaml': fluxKs('apps', './apps'), 'apps/cm.yaml': cm('x') }));
  try {
    await two.waitForModelChange();
    const lenses = ((await two.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: two.uri('shared/apps.yaml') } })) as CodeLens[]).filter((l) => l.command?.title.startsWith('rendered ▸'));
    assert.deepEqual(lenses.map((l) => [l.command?.title, (l.command?.arguments?.[0] as { cluster?: string }).cluster]), [['rendered ▸ a', 'a'], ['rendered ▸ b', 'b']]);
    const result = (await two.connection.sendRequest(RenderRequest, lenses[1].command!.arguments![0])) as RenderResult;
    assert.equal(result.title, 'flux-system/apps in b');
  } finally {
    await two.close();
  }
});
