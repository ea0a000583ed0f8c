import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileContextText } from '../../../client/src/status/fileContextText';

test('the status bar names the clusters, the layer and the component of the file', () => {
  assert.deepEqual(fileContextText({ clusters: ['production'], layer: 'apps', component: 'podinfo', encryption: 'none' }), {
    text: '$(server-environment) production  $(layers) apps  $(package) podinfo',
    tooltip: 'Applied by cluster **production**\n\nLayer **apps**\n\nComponent **podinfo**',
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

test('the SOPS state is left to the SOPS item: no second lock or Secret-in-clear text', () => {
  assert.equal(fileContextText({ clusters: ['prod'], encryption: 'encrypted' })!.text, '$(server-environment) prod');
  assert.equal(fileContextText({ clusters: ['prod'], encryption: 'plaintext-secret' })!.text, '$(server-environment) prod');
  assert.equal(fileContextText({ clusters: [], encryption: 'plaintext-secret' }), undefined);
});
