// Class 9 of issue 13: dependsOn names resolved as kustomize and Flux leave them (kustomize
// `namespace:` overrides metadata.namespace; the applier's post-build substitution fills names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';
import { deriveDependencies } from '../../../server/src/model/dependencies';

const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
const dependsOn = (...names: string[]) => `  dependsOn:\n${names.map((n) => `    - name: ${n}\n`).join('')}`;

const movedByKustomize = (target: string) => ({
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/photos.yaml': fluxKs('photos', './apps/photos'),
  'apps/photos/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: photos\nresources:\n  - ks.yaml\n',
  'apps/photos/ks.yaml': fluxKs('photos-app', './apps/photos/app', dependsOn(target)).replace('namespace: flux-system', 'namespace: photos') + '---\n' + fluxKs('photos-db', './apps/photos/db').replace('namespace: flux-system', 'namespace: pg'),
  'apps/photos/app/cm.yaml': cm,
  'apps/photos/db/cm.yaml': cm,
});

test('flux/unknown-dependency: the kustomization namespace moves the target into the referring namespace', () => {
  const model = repo(movedByKustomize('photos-db'));
  assert.deepEqual(model.graph.fluxKustomizations.filter((k) => k.name.startsWith('photos-')).map((k) => `${k.namespace}/${k.name}`), ['photos/photos-app', 'photos/photos-db']);
  assert.deepEqual(check(model, 'flux/unknown-dependency'), []);
  const [f, ...rest] = check(repo(movedByKustomize('photos-dv')), 'flux/unknown-dependency');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/photos/ks.yaml');
  assert.equal(at(f), '14:13-14:22');
  assert.equal(f.message, 'Kustomization photos-app depends on photos-dv in namespace photos, but no Kustomization of that name exists in this repository; did you mean photos-db?');
});

const substituted = (target: string, substitute = '  postBuild:\n    substitute:\n      CLUSTER_NAME: prod\n') => ({
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/config.yaml': fluxKs('0-prod-config', './config'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps', substitute),
  'config/cm.yaml': cm,
  'apps/ks.yaml': fluxKs('storage', './storage', dependsOn(target)),
  'storage/cm.yaml': cm,
});

test("flux/unknown-dependency: the applier's post-build substitution fills in the name", () => {
  const model = repo(substituted('0-${CLUSTER_NAME}-config'));
  assert.deepEqual(model.graph.fluxKustomizations.find((k) => k.name === 'storage')!.dependsOn.map((r) => r.name), ['0-prod-config']);
  assert.deepEqual(check(model, 'flux/unknown-dependency'), []);
  // A variable nothing here provides leaves the name unknown: not judged.
  const unknown = repo(substituted('0-${CLUSTER_NAME}-config', ''));
  assert.match(unknown.graph.fluxKustomizations.find((k) => k.name === 'storage')!.dependsOn[0].unresolved!, /variable/);
  assert.deepEqual(check(unknown, 'flux/unknown-dependency'), []);
  const [f, ...rest] = check(repo(substituted('0-${CLUSTER_NAME}-konfig')), 'flux/unknown-dependency');
  assert.deepEqual(rest, []);
  assert.equal(at(f), '14:13-14:37');
  assert.equal(f.message, 'Kustomization storage depends on 0-prod-konfig in namespace flux-system, but no Kustomization of that name exists in this repository; did you mean 0-prod-config?');
});

test('did-you-mean through the trigram index finds what a full scan finds', () => {
  const names = ['database', 'databases', 'data', 'cert-manager', 'cert-manager-crds', 'a', 'ab', 'kube-prometheus-stack', 'zz-vm-1-kubevirt-app', 'vm-1-kubevirt-app-x'];
  const graph: any = { fluxKustomizations: names.map((name) => ({ name, namespace: 'flux-system', dependsOn: [], resource: { file: `${name}.yaml`, kind: 'Kustomization' } })), helmReleases: [], clustersOf: new Map() };
  const dependencies = deriveDependencies(graph);
  const dependent = graph.fluxKustomizations[0];
  const { editDistance } = require('../../../server/src/model/distance');
  for (const query of ['databse', 'dat', 'b', 'cert-manger', 'kube-prometheus', 'vm-1-kubevirt-app', 'x', 'certmanager-crds']) {
    const k = Math.max(1, Math.floor(query.length / 4));
    const full = names.filter((n) => n !== query && editDistance(n, query) <= k).sort();
    assert.deepEqual(dependencies.similarNames(dependent, query), full, query);
  }
});

test('flux/unknown-dependency leaves a target declared in a broken document of the same file to yaml/syntax', () => {
  const broken = fluxKs('photos-db', './apps/photos/db', '  healthChecks:\n    - kind: PersistentVolumeClaim\n      name: *pvc\n');
  const files = (target: string) => ({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/photos.yaml': fluxKs('photos-app', './apps/photos/app', dependsOn(target)) + '---\n' + broken,
    'apps/photos/app/cm.yaml': cm,
    'apps/photos/db/cm.yaml': cm,
  });
  const model = repo(files('photos-db'));
  assert.ok(model.file('clusters/prod/photos.yaml')!.syntaxErrors.length > 0);
  assert.deepEqual(check(model, 'flux/unknown-dependency'), []);
  // The broken document makes kustomize refuse the cluster's root folder: where photos-app lands
  // is unknown (model.namespaceOf), so the message names no namespace rather than the written one.
  assert.equal(check(repo(files('photos-cache')), 'flux/unknown-dependency')[0].message, 'Kustomization photos-app depends on photos-cache, but no Kustomization of that name exists in this repository.');
});

test('did-you-mean: names longer than any real one (a fuzzer\'s 2 MB scalars) are neither indexed nor measured', () => {
  const huge = 'ab'.repeat(1_000_000);
  const other = huge.slice(0, -1) + 'c';
  const names = ['database', huge, other];
  const graph: any = { fluxKustomizations: names.map((name, i) => ({ name, namespace: 'flux-system', dependsOn: [], resource: { file: `${i}.yaml`, kind: 'Kustomization' } })), helmReleases: [], clustersOf: new Map() };
  const dependencies = deriveDependencies(graph);
  const dependent = graph.fluxKustomizations[0];
  // Two huge names one edit apart: no suggestion (a distance would cost 4·10¹² steps).
  assert.deepEqual(dependencies.similarNames(dependent, other), []);
  assert.deepEqual(dependencies.similarNames(dependent, 'databse'), ['database']);
});
