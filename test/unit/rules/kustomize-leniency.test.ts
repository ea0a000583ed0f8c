// Class 6 of issue 13: kustomize reads kustomization.yaml keys case-insensitively (Go's
// encoding/json), so `apiversion:` and `Resources:` are not schema errors and are followed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';

const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
const files = (kustomization: string) => ({
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/app.yaml': fluxKs('app', './apps/app'),
  'apps/app/kustomization.yaml': kustomization,
  'apps/app/cm.yaml': cm,
  'apps/app/extra.yaml': cm.replace('name: a', 'name: b'),
});

test('schema/invalid is quiet on kustomization keys in another case, and the model follows them', () => {
  const model = repo(files('apiversion: kustomize.config.k8s.io/v1beta1\nKind: Kustomization\nNamespace: shop\nResources:\n  - cm.yaml\n  - extra.yaml\npatches:\n  - Path: cm.yaml\n    Target:\n      Kind: ConfigMap\n'));
  assert.deepEqual(check(model, 'schema/invalid').filter((f) => f.severity !== 'information'), []);
  const dir = model.graph.kustomizeDirs.get('apps/app')!;
  assert.equal(dir.namespace, 'shop');
  assert.deepEqual(dir.entries.map((e) => `${e.field} ${e.value}`), ['resources cm.yaml', 'resources extra.yaml', 'patches cm.yaml']);
  assert.deepEqual(check(model, 'kustomize/unlisted-manifest'), []);
});

test('a key kustomize does not know in any case is still reported, and an entry fix edits the key as written', () => {
  const model = repo(files('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nResources:\n  - cm.yaml\n  - missing.yaml\nresourcez:\n  - extra.yaml\n'));
  const [invalid] = check(model, 'schema/invalid').filter((f) => f.severity === 'error');
  assert.equal(at(invalid), '6:1-6:10');
  assert.equal(invalid.message, 'Unknown field "resourcez" in Kustomization; did you mean "resources"?');
  const [missing, ...rest] = check(model, 'kustomize/missing-resource');
  assert.deepEqual(rest, []);
  assert.equal(at(missing), '5:5-5:17');
  applyFix(model, missing.fixes![0]);
  assert.deepEqual(check(model, 'kustomize/missing-resource'), []);
});
