import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';

const gitRepository = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: ssh://git@example.com/fleet\n  ref:\n    branch: main\n';
const files = (clusterKustomization: string) => ({
  'clusters/prod/flux-system/gotk-sync.yaml': `${gitRepository}---\n${FLUX_SYSTEM_SYNC('prod')}`,
  'clusters/prod/flux-system/kustomization.yaml': 'resources:\n  - gotk-sync.yaml\n',
  'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
  'clusters/prod/kustomization.yaml': clusterKustomization,
  'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n',
});

test('fires when the cluster folder no longer includes flux-system; the fix adds it back', () => {
  const model = repo(files('resources:\n  - apps.yaml\n'));
  const findings = check(model, 'flux/root-not-self-managed');
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.file, 'clusters/prod/flux-system/gotk-sync.yaml');
  assert.equal(at(f), '15:9-15:20');
  assert.equal(f.severity, 'warning');
  assert.equal(
    f.message,
    'Cluster prod no longer applies its own Kustomization flux-system/flux-system and GitRepository flux-system/flux-system (clusters/prod/flux-system/gotk-sync.yaml): no Kustomization of the cluster builds them, so Flux stops managing itself and changes to its sync settings in Git are never applied.',
  );
  assert.equal(f.fixes?.[0].title, 'Add flux-system to clusters/prod/kustomization.yaml');
  applyFix(model, f.fixes![0]);
  assert.equal(model.file('clusters/prod/kustomization.yaml')!.text, 'resources:\n  - apps.yaml\n  - flux-system\n');
  assert.deepEqual(check(model, 'flux/root-not-self-managed'), []);
});

test('does not fire where the root applies itself (listed, or a plain cluster folder), nor where a build cannot be seen', () => {
  assert.deepEqual(check(repo(files('resources:\n  - flux-system\n  - apps.yaml\n')), 'flux/root-not-self-managed'), []);
  const plain: Record<string, string> = files('');
  delete plain['clusters/prod/kustomization.yaml'];
  assert.deepEqual(check(repo(plain), 'flux/root-not-self-managed'), []);
  assert.deepEqual(check(repo(files('resources:\n  - apps.yaml\n  - github.com/example/fleet//flux?ref=v1\n')), 'flux/root-not-self-managed'), []);
});
