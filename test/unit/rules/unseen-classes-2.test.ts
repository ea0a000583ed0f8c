// Classes of false findings seen on a second round of public repositories the tests had never
// seen, each as a minimal repository written from scratch: what must not fire, and what must
// still fire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';

const kustomization = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

test('flux/invalid-substitution: a document a kustomization opts out of substitution (commonAnnotations, labels) is not substituted; one it does not opt out is', () => {
  const dashboard = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dashboard\ndata:\n  link: /d/x?var-namespace=${__data.fields.namespace}\n';
  const files = (setting: string) => ({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/dashboards.yaml': fluxKs('dashboards', './dashboards', '  postBuild:\n    substitute:\n      DOMAIN: example.org\n'),
    'dashboards/kustomization.yaml': kustomization(`resources:\n  - dashboard.yaml\n${setting}`),
    'dashboards/dashboard.yaml': dashboard,
  });
  for (const setting of [
    'commonAnnotations:\n  kustomize.toolkit.fluxcd.io/substitute: disabled\n',
    'commonLabels:\n  kustomize.toolkit.fluxcd.io/substitute: disabled\n',
    'labels:\n  - pairs:\n      kustomize.toolkit.fluxcd.io/substitute: disabled\n',
  ]) {
    assert.deepEqual(check(repo(files(setting)), 'flux/invalid-substitution'), [], setting);
  }
  const [f, ...rest] = check(repo(files('')), 'flux/invalid-substitution');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'dashboards/dashboard.yaml');
  assert.equal(f.severity, 'error');
  assert.equal(at(f), '6:28-6:54');
  assert.equal(f.message, '${__data.fields.namespace} is not a valid Flux substitution ("." cannot follow a variable name); the build of Kustomization dashboards fails. Use ${NAME}, ${NAME:=default}, or $${...} for a literal.');
});
