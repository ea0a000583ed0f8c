import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, certManagerRelease, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';

// A "crds" Kustomization that applies nothing but waits for the CRDs other Kustomizations install:
// depending on it is as good as depending on the installer.
const files = (issuersDependOn: string) => ({
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/infra.yaml':
    fluxKs('cert-manager', './infra/cert-manager') +
    '---\n' +
    fluxKs(
      'crds',
      './infra/blank',
      '  healthChecks:\n    - &crd\n      apiVersion: apiextensions.k8s.io/v1\n      kind: CustomResourceDefinition\n      name: replicationsources.volsync.backube\n    - <<: *crd\n      name: clusterissuers.cert-manager.io\n',
    ) +
    '---\n' +
    fluxKs('issuers', './infra/issuers', issuersDependOn),
  'infra/cert-manager/release.yaml': certManagerRelease,
  'infra/blank/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blank\n  namespace: flux-system\n',
  'infra/issuers/issuer.yaml': 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt\n',
});

test('flux/missing-depends-on is quiet when the applier waits for a Kustomization that health-checks the CRD', () => {
  assert.deepEqual(check(repo(files('  dependsOn:\n    - name: crds\n')), 'flux/missing-depends-on'), []);
});

test('flux/missing-depends-on still fires without that dependsOn', () => {
  const [f, ...rest] = check(repo(files('')), 'flux/missing-depends-on');
  assert.equal(rest.length, 0);
  assert.equal(at(f), '37:9-37:16');
  assert.equal(f.message, 'Kustomization issuers applies ClusterIssuer letsencrypt whose CRD (cert-manager.io) is installed by Kustomization cert-manager, but does not depend on it; on a fresh cluster the apply fails until cert-manager is ready. Add dependsOn: cert-manager.');
});
