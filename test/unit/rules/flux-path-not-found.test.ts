import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml, checkAllButDefaultNamespace } from '../../helpers/repo';

const base = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'apps/podinfo/kustomization.yaml': 'resources:\n  - deploy.yaml\n',
  'apps/podinfo/deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
};

test('fires at spec.path of a Kustomization whose folder does not exist, and the fix repairs it', () => {
  const model = repo({ ...base, 'clusters/prod/apps.yaml': fluxKs('apps', './apps/podinfoo') });
  const findings = check(model, 'flux/path-not-found');
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.file, 'clusters/prod/apps.yaml');
  assert.equal(at(f), '8:9-8:24');
  assert.equal(f.severity, 'error');
  assert.equal(f.message, 'spec.path "./apps/podinfoo" of Kustomization apps does not exist in this repository; did you mean "./apps/podinfo"?');
  assert.equal(f.fixes?.[0].title, 'Change spec.path to ./apps/podinfo');
  applyFix(model, f.fixes![0]);
  assert.match(model.file('clusters/prod/apps.yaml')!.text, /path: \.\/apps\/podinfo\n/);
  assert.deepEqual(checkAllButDefaultNamespace(model), []);
});

test('does not fire when the path exists', () => {
  const model = repo({ ...base, 'clusters/prod/apps.yaml': fluxKs('apps', './apps/podinfo') });
  assert.deepEqual(check(model, 'flux/path-not-found'), []);
});

test('a path whose source is another branch is unresolved, not missing', () => {
  const model = repo({
    ...base,
    'clusters/prod/tenants.yaml': yaml`
      apiVersion: source.toolkit.fluxcd.io/v1
      kind: GitRepository
      metadata:
        name: team-a
        namespace: flux-system
      spec:
        url: https://example.com/team-a
        ref:
          branch: team-a
      ---
      apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: team-a
        namespace: flux-system
      spec:
        path: ./only/on/their/branch
        sourceRef:
          kind: GitRepository
          name: team-a
    `,
  });
  assert.deepEqual(check(model, 'flux/path-not-found'), []);
  const ks = model.graph.fluxKustomizations.find((k) => k.name === 'team-a')!;
  assert.equal(ks.folder, undefined);
  assert.match(ks.unresolvedReason!, /another repository or branch/);
});

test('does not fire in a dead file no cluster applies', () => {
  const model = repo({ ...base, '.archive/old-ks.yaml': fluxKs('old', './apps/gone') });
  assert.deepEqual(check(model, 'flux/path-not-found'), []);
});

test('without a near miss, the preferred fix creates the overlay over the deepest existing folder; pointing at that folder is only offered, by name', () => {
  const model = repo({ ...base, 'clusters/prod/apps.yaml': fluxKs('apps', './apps/podinfo/overlays/production') });
  const [f] = check(model, 'flux/path-not-found');
  assert.equal(f.message, 'spec.path "./apps/podinfo/overlays/production" of Kustomization apps does not exist in this repository; its deepest existing folder is "./apps/podinfo".');
  assert.deepEqual(f.fixes!.map((x) => [x.title, x.preferred ?? false, x.safe]), [
    ['Create apps/podinfo/overlays/production/kustomization.yaml over ../..', true, false],
    ['Change spec.path to the whole of ./apps/podinfo', false, false],
  ]);
  applyFix(model, f.fixes![0]);
  assert.equal(model.file('apps/podinfo/overlays/production/kustomization.yaml')!.text, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../..\n');
  assert.deepEqual(checkAllButDefaultNamespace(model), []);
  // The overlay applies the base's manifest.
  assert.ok(model.graph.clustersOf.get('apps/podinfo/deploy.yaml')?.has('prod'));
});

test('without a near miss and no kustomization in the deepest existing folder, only the path change is offered', () => {
  const model = repo({ ...base, 'clusters/prod/apps.yaml': fluxKs('apps', './clusters/prod/overlays/production') });
  const [f] = check(model, 'flux/path-not-found');
  assert.equal(f.message, 'spec.path "./clusters/prod/overlays/production" of Kustomization apps does not exist in this repository; its deepest existing folder is "./clusters/prod".');
  assert.deepEqual(f.fixes!.map((x) => [x.title, x.preferred ?? false]), [['Change spec.path to the whole of ./clusters/prod', false]]);
});
