import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';

const base = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/kustomization.yaml': 'resources:\n  - flux-system/gotk-sync.yaml\n  - apps.yaml\n',
  'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
  'apps/podinfo/ks.yaml': fluxKs('podinfo', './apps/podinfo/app'),
  'apps/podinfo/app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo\n  namespace: default\n',
  'apps/policies/ks.yaml': fluxKs('policies', './apps/policies/app'),
  'apps/policies/app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: policies\n  namespace: default\n',
};

test('a ks.yaml whose entry is commented out is one unreachable file, not a cluster', () => {
  const model = repo({ ...base, 'apps/kustomization.yaml': 'resources:\n  - ./podinfo/ks.yaml\n  # - ./policies/ks.yaml\n' });
  assert.deepEqual(model.graph.clusters.map((c) => c.name), ['prod']);
  const findings = check(model, 'flux/unreachable-kustomization');
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.file, 'apps/policies/ks.yaml');
  assert.equal(at(f), '2:7-2:20');
  assert.equal(f.severity, 'information');
  assert.equal(
    f.message,
    'No cluster applies Kustomization policies: its entry in a kustomization is commented out and nothing else lists it, so Flux never reconciles it and its objects are not checked. List the file in a kustomization a cluster applies, or delete it.',
  );
  // Its objects are not judged as live: no other finding points into the dead tree.
  assert.deepEqual(check(model).filter((x) => x.file.startsWith('apps/policies/') && x !== f && x.rule !== 'flux/unreachable-kustomization'), []);
});

test('a ks.yaml that nothing lists says so; listing it silences the finding', () => {
  const unlisted = repo({ ...base, 'apps/kustomization.yaml': 'resources:\n  - ./podinfo/ks.yaml\n' });
  const [f] = check(unlisted, 'flux/unreachable-kustomization');
  assert.equal(f.file, 'apps/policies/ks.yaml');
  assert.match(f.message, /^No cluster applies Kustomization policies: no kustomization lists it and no bootstrap points at it, so Flux/);
  const listed = repo({ ...base, 'apps/kustomization.yaml': 'resources:\n  - ./podinfo/ks.yaml\n  - ./policies/ks.yaml\n' });
  assert.deepEqual(check(listed, 'flux/unreachable-kustomization'), []);
});

test('folders dead on purpose and repositories without a cluster are not reported', () => {
  const archived = repo({
    ...base,
    'apps/kustomization.yaml': 'resources:\n  - ./podinfo/ks.yaml\n  - ./policies/ks.yaml\n',
    '.archive/old-app/ks.yaml': fluxKs('old-app', './.archive/old-app/app'),
  });
  assert.deepEqual(check(archived, 'flux/unreachable-kustomization'), []);
  const noCluster = repo({ 'apps/policies/ks.yaml': fluxKs('policies', './apps/policies/app'), 'apps/policies/app/cm.yaml': base['apps/policies/app/cm.yaml'] });
  assert.deepEqual(check(noCluster, 'flux/unreachable-kustomization'), []);
});
