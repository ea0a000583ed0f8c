import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileContextText } from '../../../client/src/status/fileContextText';

test('the status bar names the clusters, the layer and the component of the file', () => {
  assert.deepEqual(fileContextText({ clusters: ['production'], layer: 'apps', component: 'podinfo', encryption: 'none' }), {
    text: '$(server-environment) production  $(layers) apps  $(package) podinfo',
    tooltip: 'Applied by cluster **production**\n\nLayer **apps**\n\nComponent **podinfo**',
    warning: false,
  });
});

test('more than two clusters are counted, not listed', () => {
  const text = fileContextText({ clusters: ['a', 'b', 'c', 'd'] })!;
  assert.equal(text.text, '$(server-environment) a, b +2');
  assert.equal(text.tooltip, 'Applied by clusters **a**, **b**, **c**, **d**');
});

test('a file no cluster applies says so; a file the model does not know shows nothing', () => {
  assert.equal(fileContextText({ clusters: [], component: 'old', layer: 'apps' })!.text, '$(circle-slash) no cluster  $(layers) apps  $(package) old');
  assert.equal(fileContextText({ clusters: [], encryption: 'none' }), undefined);
});

test('SOPS state: a lock when encrypted, a warning when a Secret is in clear', () => {
  assert.equal(fileContextText({ clusters: ['prod'], encryption: 'encrypted' })!.text, '$(server-environment) prod  $(lock)');
  const clear = fileContextText({ clusters: [], encryption: 'plaintext-secret' })!;
  assert.equal(clear.warning, true);
  assert.match(clear.text, /\$\(unlock\) Secret in clear/);
  assert.match(clear.tooltip, /encrypt it with SOPS/);
});

test('names from the repository are text, never markup: Markdown and icons are escaped', () => {
  const text = fileContextText({ clusters: ['[x](https://evil.example/a.png)'], layer: '$(bug) *core*', component: '<img src=x>', encryption: 'none' })!;
  assert.equal(text.text, '$(server-environment) [x](https://evil.example/a.png)  $(layers) \\$(bug) *core*  $(package) <img src=x>');
  assert.equal(
    text.tooltip,
    'Applied by cluster **\\[x\\]\\(https\\://evil\\.example/a\\.png\\)**\n\nLayer **\\$\\(bug\\) \\*core\\***\n\nComponent **\\<img src\\=x\\>**',
  );
});
