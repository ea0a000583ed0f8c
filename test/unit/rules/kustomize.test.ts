import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml, checkAllButDefaultNamespace } from '../../helpers/repo';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const base = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps/web'),
  'apps/web/one.yaml': cm('one'),
};

test('kustomize/missing-resource fires at the entry, suggests the close name, and the fix makes it pass', () => {
  const model = repo({
    ...base,
    'apps/web/kustomization.yaml': yaml`
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      resources:
        - one.yml
    `,
  });
  const [f, ...rest] = check(model, 'kustomize/missing-resource');
  assert.equal(rest.length, 0);
  assert.equal(f.file, 'apps/web/kustomization.yaml');
  assert.equal(at(f), '4:5-4:12');
  assert.equal(f.message, 'resources entry "one.yml" points at nothing: apps/web/one.yml does not exist; did you mean "one.yaml"?');
  assert.deepEqual(f.fixes?.map((x) => x.title), ['Change to one.yaml', 'Remove one.yml from resources']);
  applyFix(model, f.fixes![0]);
  assert.deepEqual(checkAllButDefaultNamespace(model), []);
});

test('kustomize/missing-resource: removing the entry keeps the other entries', () => {
  const model = repo({
    ...base,
    'apps/web/kustomization.yaml': 'resources:\n  - one.yaml\n  - ../../nowhere/at-all\npatches:\n  - path: gone.yaml\n    target:\n      kind: Deployment\n',
  });
  const findings = check(model, 'kustomize/missing-resource');
  assert.deepEqual(findings.map((f) => [at(f), f.message]), [
    ['3:5-3:25', 'resources entry "../../nowhere/at-all" points at nothing: nowhere/at-all does not exist.'],
    ['5:11-5:20', 'patches entry "gone.yaml" points at nothing: apps/web/gone.yaml does not exist; did you mean "one.yaml"?'],
  ]);
  applyFix(model, findings[1].fixes!.find((x) => x.title.startsWith('Remove'))!);
  assert.equal(model.file('apps/web/kustomization.yaml')!.text, 'resources:\n  - one.yaml\n  - ../../nowhere/at-all\npatches:\n');
  applyFix(model, check(model, 'kustomize/missing-resource')[0].fixes!.find((x) => x.title.startsWith('Remove'))!);
  assert.equal(model.file('apps/web/kustomization.yaml')!.text, 'resources:\n  - one.yaml\npatches:\n');
  assert.deepEqual(check(model, 'kustomize/missing-resource'), []);
});

test('kustomize/missing-resource is quiet for remote bases, folders, generator files and inline patches', () => {
  const model = repo({
    ...base,
    'apps/web/sub/cm.yaml': cm('sub'),
    'apps/web/settings.env': null,
    'apps/web/kustomization.yaml': yaml`
      resources:
        - one.yaml
        - sub
        - https://github.com/example/repo//deploy?ref=v1.0.0
        - github.com/example/other/base?ref=main
      configMapGenerator:
        - name: settings
          envs:
            - settings.env
      patches:
        - patch: |
            - op: add
              path: /x
              value: y
          target:
            kind: Deployment
    `,
  });
  assert.deepEqual(check(model, 'kustomize/missing-resource'), []);
});

test('kustomize/missing-resource fires for a missing generator file', () => {
  const model = repo({ ...base, 'apps/web/kustomization.yaml': 'resources:\n  - one.yaml\nsecretGenerator:\n  - name: s\n    files:\n      - token=token.txt\n' });
  const [f] = check(model, 'kustomize/missing-resource');
  assert.equal(at(f), '6:9-6:24');
  assert.equal(f.message, 'secretGenerator entry "token.txt" points at nothing: apps/web/token.txt does not exist.');
});

test('kustomize/unlisted-manifest fires on a manifest beside a live kustomization.yaml; the fix lists it', () => {
  const model = repo({
    ...base,
    'apps/web/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - one.yaml\n',
    'apps/web/two.yaml': cm('two'),
  });
  const findings = check(model, 'kustomize/unlisted-manifest');
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.file, 'apps/web/two.yaml');
  assert.equal(at(f), '2:7-2:16');
  assert.equal(f.severity, 'warning');
  assert.equal(f.message, 'ConfigMap two is never deployed: two.yaml is not listed in apps/web/kustomization.yaml.');
  applyFix(model, f.fixes![0]);
  assert.equal(model.file('apps/web/kustomization.yaml')!.text, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - one.yaml\n  - two.yaml\n');
  assert.deepEqual(checkAllButDefaultNamespace(model), []);
});

test('kustomize/unlisted-manifest: the fix creates resources when the kustomization has none', () => {
  const model = repo({ ...base, 'apps/web/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: web' });
  const [f] = check(model, 'kustomize/unlisted-manifest');
  applyFix(model, f.fixes![0]);
  assert.equal(model.file('apps/web/kustomization.yaml')!.text, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: web\nresources:\n  - one.yaml\n');
  assert.deepEqual(check(model, 'kustomize/unlisted-manifest'), []);
});

test('kustomize/unlisted-manifest is quiet for patches, values files, listed files and folders without kustomization.yaml', () => {
  const model = repo({
    ...base,
    'apps/web/kustomization.yaml': 'resources:\n  - one.yaml\npatches:\n  - path: patch.yaml\n',
    'apps/web/patch.yaml': cm('one'),
    'apps/web/values.yaml': 'replicaCount: 2\nimage:\n  tag: v1\n',
    'apps/plain/three.yaml': cm('three'),
  });
  assert.deepEqual(check(model, 'kustomize/unlisted-manifest'), []);
});

test('kustomize/unlisted-manifest is quiet in a folder no cluster builds', () => {
  const model = repo({
    ...base,
    'attic/kustomization.yaml': 'resources:\n  - a.yaml\n',
    'attic/a.yaml': cm('a'),
    'attic/b.yaml': cm('b'),
  });
  assert.deepEqual(check(model, 'kustomize/unlisted-manifest'), []);
});

test('kustomize/unlisted-manifest: an entry commented out by hand is reported as switched off, as information', () => {
  const model = repo({
    ...base,
    'apps/web/kustomization.yaml': 'resources:\n  - one.yaml\n  # - ./two.yaml\n',
    'apps/web/two.yaml': cm('two'),
  });
  const [f] = check(model, 'kustomize/unlisted-manifest');
  assert.equal(f.severity, 'information');
  assert.equal(f.message, 'ConfigMap two is switched off: its entry in apps/web/kustomization.yaml is commented out, so it is never deployed.');
});
