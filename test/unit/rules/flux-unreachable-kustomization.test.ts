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

/** Eight apps beside podinfo, each a ks.yaml and one ConfigMap. */
function manyApps(): Record<string, string> {
  const files: Record<string, string> = { ...base };
  for (let i = 1; i <= 8; i++) {
    files[`apps/app${i}/ks.yaml`] = fluxKs(`app${i}`, `./apps/app${i}/app`);
    files[`apps/app${i}/app/cm.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app${i}\n  namespace: default\n`;
  }
  return files;
}

test('entries commented out in one kustomization are one finding at the first commented line, the files related', () => {
  const commented = ['  - ./podinfo/ks.yaml', '  - ./policies/ks.yaml', ...[1, 2, 3, 4, 5, 6, 7].map((i) => `  # - ./app${i}/ks.yaml${i === 3 ? '  # broken, see the issue' : ''}`), '  #- "./app8/ks.yaml"'];
  const model = repo({ ...manyApps(), 'apps/kustomization.yaml': `resources:\n${commented.join('\n')}\n` });
  const findings = check(model, 'flux/unreachable-kustomization');
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.file, 'apps/kustomization.yaml');
  assert.equal(at(f), '4:3-4:21');
  assert.equal(
    f.message,
    'No cluster applies the 8 Flux Kustomizations of 8 files whose entries are commented out in this kustomization (app1, app2, app3, app4, app5 and 3 more), so Flux never reconciles them and their objects are not checked. Uncomment the entries that should run, or delete the dead files.',
  );
  assert.deepEqual(
    f.related?.map((r) => `${r.file}@${r.range.start.line + 1}:${r.range.start.character + 1} ${r.message}`),
    [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `apps/app${i}/ks.yaml@2:7 Kustomization app${i}: its entry is commented out`),
  );
  // Uncommenting the entries silences it.
  const listed = repo({ ...manyApps(), 'apps/kustomization.yaml': `resources:\n${commented.map((l) => l.replace(/#\s?/, '')).join('\n').replace(/\s+# broken.*$/m, '')}\n` });
  assert.deepEqual(check(listed, 'flux/unreachable-kustomization'), []);
});

test('unlisted files of one folder are one finding at the first of them', () => {
  const model = repo({ ...manyApps(), 'apps/kustomization.yaml': 'resources:\n  - ./podinfo/ks.yaml\n' });
  const findings = check(model, 'flux/unreachable-kustomization');
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.file, 'apps/app1/ks.yaml');
  assert.equal(at(f), '2:7-2:20');
  assert.equal(
    f.message,
    'No cluster applies the 9 Flux Kustomizations of 9 files under apps that no kustomization lists and no bootstrap points at (app1, app2, app3, app4, app5 and 4 more), so Flux never reconciles them and their objects are not checked. List the files in a kustomization a cluster applies, or delete them.',
  );
  assert.deepEqual(f.related?.map((r) => r.file), [2, 3, 4, 5, 6, 7, 8].map((i) => `apps/app${i}/ks.yaml`).concat('apps/policies/ks.yaml'));
});
