import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';

const release = yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: podinfo
  spec:
    interval: 1m
`;
const base = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
  'apps/release.yaml': release,
};
const patchFor = (target: string) => yaml`
  resources:
    - release.yaml
  patches:
    - target:
        ${target}
      patch: |
        - op: add
          path: /spec/suspend
          value: true
`;

test('fires on a target that selects nothing (a version the object left), with the object meant and a fix', () => {
  const model = repo({ ...base, 'apps/kustomization.yaml': patchFor('kind: HelmRelease\n        version: v2beta1\n        name: podinfo') });
  const findings = check(model, 'kustomize/patch-no-target');
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.file, 'apps/kustomization.yaml');
  assert.equal(at(f), '4:5-4:11');
  assert.equal(f.severity, 'error');
  assert.equal(
    f.message,
    'The patch target {kind: HelmRelease, name: podinfo, version: v2beta1} matches no object in the build of apps (Kustomization flux-system/apps): kustomize skips the patch without a word, so its change never reaches the cluster; did you mean HelmRelease podinfo (helm.toolkit.fluxcd.io/v2)?',
  );
  assert.deepEqual(f.related?.map((r) => `${r.file} ${r.range.start.line + 1} ${r.message}`), ['apps/release.yaml 1 closest object: HelmRelease podinfo (helm.toolkit.fluxcd.io/v2)']);
  const fix = f.fixes?.[0];
  assert.equal(fix?.title, 'Change the target to version v2');
  applyFix(model, fix!);
  assert.match(model.file('apps/kustomization.yaml')!.text, /version: v2\n/);
  assert.deepEqual(check(model, 'kustomize/patch-no-target'), []);
});

test('fires on a misspelt name in a Flux Kustomization\'s spec.patches, at that entry', () => {
  const model = repo({
    ...base,
    'clusters/prod/apps.yaml': fluxKs('apps', './apps', '  patches:\n    - target:\n        kind: HelmRelease\n        name: podinf\n      patch: |\n        - op: add\n          path: /spec/suspend\n          value: true\n'),
    'apps/kustomization.yaml': 'resources:\n  - release.yaml\n',
  });
  const [f, ...rest] = check(model, 'kustomize/patch-no-target');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'clusters/prod/apps.yaml');
  assert.equal(at(f), '14:7-14:13');
  assert.match(f.message, /^The patch target \{kind: HelmRelease, name: podinf\} matches no object in the build of apps \(Kustomization flux-system\/apps\): .*; did you mean HelmRelease podinfo \(helm\.toolkit\.fluxcd\.io\/v2\)\?$/);
  applyFix(model, f.fixes![0]);
  assert.deepEqual(check(model, 'kustomize/patch-no-target'), []);
});

test('a strategic-merge patch without a target that matches nothing: kustomize refuses, reported here and not as a build error', () => {
  const model = repo({ ...base, 'apps/kustomization.yaml': 'resources:\n  - release.yaml\npatchesStrategicMerge:\n  - |\n    apiVersion: helm.toolkit.fluxcd.io/v2beta1\n    kind: HelmRelease\n    metadata:\n      name: podinfo\n    spec:\n      suspend: true\n' });
  const [f, ...rest] = check(model, 'kustomize/patch-no-target');
  assert.deepEqual(rest, []);
  assert.equal(at(f), '4:5-4:6');
  assert.equal(
    f.message,
    'The patch target {kind: HelmRelease, name: podinfo, group: helm.toolkit.fluxcd.io, version: v2beta1} matches no object in the build of apps (Kustomization flux-system/apps): kustomize refuses the build, so the Kustomization applies nothing; did you mean HelmRelease podinfo (helm.toolkit.fluxcd.io/v2)?',
  );
  assert.equal(f.fixes, undefined);
  assert.deepEqual(check(model, 'kustomize/build-error'), []);
});

test('does not fire on a patch that reaches its object, a regex or label selector that matches, or a component patch some build uses', () => {
  for (const target of ['kind: HelmRelease\n        name: podinfo', 'kind: HelmRelease\n        name: pod.*', 'kind: HelmRelease\n        version: v2']) {
    assert.deepEqual(check(repo({ ...base, 'apps/kustomization.yaml': patchFor(target) }), 'kustomize/patch-no-target'), [], target);
  }
  // A component patch that matches in one of the builds that use it is not reported.
  const component = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - target:\n      kind: HelmRelease\n    patch: |\n      - op: add\n        path: /spec/suspend\n        value: true\n';
  const model = repo({
    ...base,
    'clusters/prod/other.yaml': fluxKs('other', './other'),
    'other/kustomization.yaml': 'resources:\n  - cm.yaml\ncomponents:\n  - ../components/suspend\n',
    'other/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    'apps/kustomization.yaml': 'resources:\n  - release.yaml\ncomponents:\n  - ../components/suspend\n',
    'components/suspend/kustomization.yaml': component,
  });
  assert.deepEqual(check(model, 'kustomize/patch-no-target'), []);
});

test('stays silent where something the patch could target is unresolved', () => {
  const model = repo({ ...base, 'apps/kustomization.yaml': patchFor('kind: HelmRelease\n        name: nothing').replace('  - release.yaml\n', '  - release.yaml\n  - github.com/example/repo//deploy?ref=v1\n') });
  assert.deepEqual(check(model, 'kustomize/patch-no-target'), []);
});

test('does not fire on folders no cluster applies', () => {
  const model = repo({ 'apps/release.yaml': release, 'apps/kustomization.yaml': patchFor('kind: HelmRelease\n        name: nothing') });
  assert.deepEqual(check(model, 'kustomize/patch-no-target'), []);
});

test('a selector without a name is judged only where its kind is there at another version', () => {
  // Opt-in hooks (a label selector) and kind-wide patches of a folder without that kind are how such patches are used.
  for (const target of ['kind: HelmRelease\n        labelSelector: app=other', 'kind: Deployment']) {
    assert.deepEqual(check(repo({ ...base, 'apps/kustomization.yaml': patchFor(target) }), 'kustomize/patch-no-target'), [], target);
  }
  const [f, ...rest] = check(repo({ ...base, 'apps/kustomization.yaml': patchFor('kind: HelmRelease\n        version: v2beta2') }), 'kustomize/patch-no-target');
  assert.deepEqual(rest, []);
  assert.match(f.message, /^The patch target \{kind: HelmRelease, version: v2beta2\} matches no object .*; did you mean HelmRelease podinfo \(helm\.toolkit\.fluxcd\.io\/v2\)\?$/);
  assert.equal(f.fixes?.[0].title, 'Change the target to version v2');
});

test('two Flux Kustomizations with the same name, folder and spec in two clusters each point at their own document', () => {
  const sync = (cluster: string) => FLUX_SYSTEM_SYNC(cluster);
  const ks = fluxKs('apps', './apps', '  patches:\n    - target:\n        kind: HelmRelease\n        name: podinf\n      patch: |\n        - op: add\n          path: /spec/suspend\n          value: true\n');
  const model = repo({ 'clusters/a/flux-system/gotk-sync.yaml': sync('a'), 'clusters/b/flux-system/gotk-sync.yaml': sync('b'), 'clusters/a/apps.yaml': ks, 'clusters/b/apps.yaml': ks, 'apps/release.yaml': release, 'apps/kustomization.yaml': 'resources:\n  - release.yaml\n' });
  assert.deepEqual(check(model, 'kustomize/patch-no-target').map((f) => `${f.file} ${at(f)}`), ['clusters/a/apps.yaml 14:7-14:13', 'clusters/b/apps.yaml 14:7-14:13']);
});
