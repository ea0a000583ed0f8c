import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFromWebview } from '../../../client/src/graph/messages';
import { contentSecurityPolicy, graphPage, newNonce } from '../../../client/src/graph/webviewHtml';

const resources = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/graph.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/graph.css',
};

test('the graph page runs only its own script, by nonce, and loads nothing remote', () => {
  const nonce = newNonce();
  const page = graphPage(resources, nonce);
  const csp = contentSecurityPolicy(resources.cspSource, nonce);
  assert.ok(page.includes(`content="${csp}"`), 'the CSP is in the page');
  assert.match(csp, /^default-src 'none';/);
  assert.ok(csp.includes(`script-src 'nonce-${nonce}'`));
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  const scripts = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, [`<script nonce="${nonce}" src="${resources.scriptUri}">`]);
  assert.doesNotMatch(page, /<script[^>]*>[^<]+<\/script>/, 'no inline script');
  assert.doesNotMatch(page, /\son[a-z]+=/i, 'no inline event handler');
  assert.doesNotMatch(page, /\sstyle=/i, 'no inline style');
  const urls = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(urls.every((url) => url.startsWith(resources.cspSource)), `remote resource in ${urls.join(', ')}`);
});

test('every page gets a fresh nonce', () => {
  assert.notEqual(newNonce(), newNonce());
  assert.ok(newNonce().length >= 24);
});

test('only well-formed messages from the webview are accepted', () => {
  assert.ok(isFromWebview({ type: 'ready' }));
  assert.ok(isFromWebview({ type: 'open', id: 'prod/kustomization/flux-system/apps' }));
  assert.ok(isFromWebview({ type: 'cluster', cluster: '' }));
  assert.ok(!isFromWebview({ type: 'open' }));
  assert.ok(!isFromWebview({ type: 'open', id: 3 }));
  assert.ok(!isFromWebview({ type: 'run', command: 'x' }));
  assert.ok(!isFromWebview(null));
  assert.ok(!isFromWebview('ready'));
});
