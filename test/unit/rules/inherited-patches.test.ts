import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';

// The root Kustomization patches every child Kustomization with patches of its own, which set the
// HelmReleases' interval: a HelmRelease without one is complete once built.
const parentPatch = yaml`
  patches:
    - patch: |-
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: _
        spec:
          patches:
            - patch: |-
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: _
                spec:
                  interval: 1h
              target:
                kind: HelmRelease
      target:
        kind: Kustomization
`.replace(/^/gm, '  ');
const files = (extra: string) => ({
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps', extra),
  'apps/web.yaml': fluxKs('web', './web'),
  'web/release.yaml': yaml`
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: web
      namespace: web
    spec:
      chart:
        spec:
          chart: web
          sourceRef:
            kind: HelmRepository
            name: charts
  `,
});

test('schema/invalid does not require a field that the parent Kustomization patches into its children', () => {
  assert.deepEqual(check(repo(files(parentPatch)), 'schema/invalid').filter((f) => f.severity === 'error'), []);
});

test('schema/invalid requires it without that patch', () => {
  const errors = check(repo(files('')), 'schema/invalid').filter((f) => f.severity === 'error');
  assert.deepEqual(errors.map((f) => [f.file, at(f), f.message]), [['web/release.yaml', '6:1-6:5', 'Missing required field "interval" in HelmRelease.spec']]);
});
