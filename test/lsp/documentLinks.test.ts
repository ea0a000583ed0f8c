import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DocumentLinkRequest, type DocumentLink } from 'vscode-languageserver-protocol/node';
import { copyExample, range, TestClient } from '../helpers/lsp-client';

let client: TestClient;

before(async () => {
  client = await TestClient.ready(copyExample());
});

after(() => client?.close());

/** The range of an entry's value, after its `- `. */
const shift = (r: ReturnType<typeof range>) => range(r.start.line, r.start.character + 2, r.end.line, r.end.character);

/** The range of a `path: value\n` match's value. */
const pathRange = (r: ReturnType<typeof range>) => range(r.start.line, r.start.character + 'path: '.length, r.end.line, r.end.character - 1);

async function linksOf(file: string) {
  const links = (await client.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: client.uri(file) } })) as DocumentLink[] | null;
  return (links ?? []).map((l) => ({ range: l.range, target: l.target!.slice(client.uri('').length + 1) }));
}

test('spec.path links to the kustomization.yaml of the folder it applies', async () => {
  const at = (file: string, path: string) => pathRange(client.locate(file, `path: ${path}\n`));
  assert.deepEqual(await linksOf('clusters/us-west/apps.yaml'), [
    { range: at('clusters/us-west/apps.yaml', './environments/apps/podinfo'), target: 'environments/apps/podinfo/kustomization.yaml' },
  ]);
  assert.deepEqual(await linksOf('clusters/us-west/core.yaml'), [
    { range: at('clusters/us-west/core.yaml', './environments/core/cert-manager'), target: 'environments/core/cert-manager/kustomization.yaml' },
    { range: at('clusters/us-west/core.yaml', './environments/core/cert-manager/issuers'), target: 'environments/core/cert-manager/issuers/kustomization.yaml' },
    { range: at('clusters/us-west/core.yaml', './environments/core/cloudnative-pg'), target: 'environments/core/cloudnative-pg/kustomization.yaml' },
  ]);
});

test('a spec.path that does not exist has no link', async () => {
  assert.deepEqual(await linksOf('clusters/staging/apps.yaml'), []);
});

test('kustomization entries link to their files, folders to their kustomization.yaml; missing ones do not link', async () => {
  const podinfo = 'environments/apps/podinfo/kustomization.yaml';
  const links = await linksOf(podinfo);
  for (const entry of ['namespace.yaml', 'deployment.yaml', 'service.yaml', 'configmap.yaml']) {
    assert.deepEqual(links.filter((l) => l.target === `environments/apps/podinfo/${entry}`), [{ range: shift(client.locate(podinfo, `- ${entry}`)), target: `environments/apps/podinfo/${entry}` }]);
  }
  assert.ok(!links.some((l) => l.target.endsWith('hpa.yaml')));
  const file = 'environments/core/cert-manager/kustomization.yaml';
  const text = readFileSync(path.join(client.root, file), 'utf8');
  const line = text.split('\n').length - 1;
  await client.open(file, `${text}  - issuers\n`);
  assert.deepEqual((await linksOf(file)).filter((l) => l.range.start.line === line), [
    { range: range(line, 4, line, 11), target: 'environments/core/cert-manager/issuers/kustomization.yaml' },
  ]);
  // A generator's `key=path` entry links its path only.
  await client.change(file, `${text}configMapGenerator:\n  - name: ca\n    files:\n      - ca.yaml=namespace.yaml\n`);
  assert.deepEqual((await linksOf(file)).filter((l) => l.range.start.line === line + 3), [
    { range: range(line + 3, 16, line + 3, 30), target: 'environments/core/cert-manager/namespace.yaml' },
  ]);
});
