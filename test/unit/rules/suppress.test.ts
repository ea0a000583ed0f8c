// The lightbulb's "Disable <rule> ..." fixes: each, applied, removes exactly its finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suppressionFixes } from '../../../server/src/features/suppress';
import { applyFix, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';

const base = {
  'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
  'clusters/production/apps.yaml': fluxKs('shop', './apps/shop'),
  'apps/shop/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
  'apps/shop/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - namespace.yaml\n  - deployment.yaml\n',
};
const deployment = (args = '') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
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
          - name: app
            image: nginx${args}
          - name: sidecar
            image: busybox
`;
const missing = (model: ReturnType<typeof repo>) => check(model, 'resources/missing').map((f) => `${f.range.start.line + 1}`);
const titles = ['Disable resources/missing for this line', 'Disable resources/missing for this file', 'Disable resources/missing in .gitops-guardrails.yaml'];

test('"for this line" inserts the suppression comment above the finding, indented like its line; only that finding goes', () => {
  const model = repo({ ...base, 'apps/shop/deployment.yaml': deployment() });
  assert.deepEqual(missing(model), ['15', '17']);
  const [first] = check(model, 'resources/missing');
  const fixes = suppressionFixes(model, first);
  assert.deepEqual(fixes.map((f) => f.title), titles);
  assert.ok(fixes.every((f) => !f.safe), 'suppressing is never applied unattended');
  applyFix(model, fixes[0]);
  assert.match(model.file('apps/shop/deployment.yaml')!.text, /      containers:\n        # gitops-guardrails-disable-next-line resources\/missing\n        - name: app\n/);
  assert.deepEqual(missing(model), ['18']);
});

test('"for this line" extends a directive already above the line, and is not offered inside a block scalar', () => {
  const text = deployment().replace('        - name: app\n', '        # gitops-guardrails-disable-next-line quota/missing\n        - name: app\n');
  const model = repo({ ...base, 'apps/shop/deployment.yaml': text });
  const [first] = check(model, 'resources/missing');
  assert.equal(first.range.start.line + 1, 16);
  applyFix(model, suppressionFixes(model, first)[0]);
  assert.match(model.file('apps/shop/deployment.yaml')!.text, /# gitops-guardrails-disable-next-line quota\/missing, resources\/missing\n        - name: app\n/);
  assert.deepEqual(missing(model), ['18']);

  // A finding on a line inside a multi-line scalar: a comment there would become text.
  const scalar = repo({ 'notes.yaml': 'a: |\n  one\n  two\n' });
  const inside = { rule: 'resources/missing', severity: 'warning' as const, message: 'm', file: 'notes.yaml', range: { start: { line: 2, character: 2 }, end: { line: 2, character: 5 } } };
  assert.deepEqual(suppressionFixes(scalar, inside).map((f) => f.title), titles.slice(1));
});

test('"for this file" writes the directive on the first line, or extends the one in the leading comments', () => {
  const model = repo({ ...base, 'apps/shop/deployment.yaml': deployment() });
  applyFix(model, suppressionFixes(model, check(model, 'resources/missing')[0])[1]);
  assert.match(model.file('apps/shop/deployment.yaml')!.text, /^# gitops-guardrails-disable-file resources\/missing\napiVersion: apps\/v1\n/);
  assert.deepEqual(missing(model), []);

  const commented = repo({ ...base, 'apps/shop/deployment.yaml': '# shop web\n# gitops-guardrails-disable-file quota/missing\n' + deployment() });
  applyFix(commented, suppressionFixes(commented, check(commented, 'resources/missing')[0])[1]);
  assert.match(commented.file('apps/shop/deployment.yaml')!.text, /^# shop web\n# gitops-guardrails-disable-file quota\/missing, resources\/missing\napiVersion/);
  assert.deepEqual(missing(commented), []);
});

test('"in .gitops-guardrails.yaml" creates the file, adds to its rules, or turns a configured severity off', () => {
  for (const [config, expected] of [
    [undefined, 'rules:\n  resources/missing: off\n'],
    ['ignore:\n  - tmp/**\n', 'ignore:\n  - tmp/**\nrules:\n  resources/missing: off\n'],
    ['rules:\n  quota/missing: error\n', 'rules:\n  quota/missing: error\n  resources/missing: off\n'],
    ['rules:\n  resources/missing: error # noisy\n', 'rules:\n  resources/missing: off # noisy\n'],
  ] as const) {
    const model = repo({ ...base, 'apps/shop/deployment.yaml': deployment(), ...(config ? { '.gitops-guardrails.yaml': config } : {}) });
    const fix = suppressionFixes(model, check(model, 'resources/missing')[0])[2];
    assert.equal(fix.title, titles[2]);
    applyFix(model, fix);
    assert.equal(model.file('.gitops-guardrails.yaml')!.text, expected);
    assert.deepEqual(missing(model), [], String(config));
    assert.deepEqual(check(model).filter((f) => f.rule === 'config/invalid'), []);
  }
});

test('a SOPS-encrypted file gets no comment: only the configuration is offered', () => {
  const model = repo({ ...base, 'apps/shop/deployment.yaml': deployment() + 'sops:\n  mac: ENC[AES256_GCM,data:abc,iv:abc,tag:abc,type:str]\n  version: 3.9.0\n' });
  assert.equal(model.file('apps/shop/deployment.yaml')!.sopsEncrypted, true);
  const finding = { rule: 'resources/missing', severity: 'warning' as const, message: 'm', file: 'apps/shop/deployment.yaml', range: { start: { line: 14, character: 10 }, end: { line: 14, character: 13 } } };
  assert.deepEqual(suppressionFixes(model, finding).map((f) => f.title), titles.slice(2));
});
