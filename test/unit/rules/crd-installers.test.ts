// Classes 4 and 11 of issue 13: every installer of a CRD group is weighed before choosing between
// flux/crd-in-same-kustomization and flux/missing-depends-on; a chart told not to install its
// CRDs is no installer; one finding per cause, with the count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, certManagerRelease, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';

const release = (extra = '') => certManagerRelease + extra;
const crd = yaml`
  apiVersion: apiextensions.k8s.io/v1
  kind: CustomResourceDefinition
  metadata:
    name: clusterissuers.cert-manager.io
  spec:
    group: cert-manager.io
    scope: Cluster
    names:
      kind: ClusterIssuer
      plural: clusterissuers
    versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            x-kubernetes-preserve-unknown-fields: true
`;
const issuer = (name: string) => `apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: ${name}\n`;
const base = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'infra/cert-manager/release.yaml': release(),
  'infra/cert-manager/issuer.yaml': issuer('letsencrypt'),
};

test('a sibling crds Kustomization makes it a missing dependsOn, not a CR in the same Kustomization; the fix adds it', () => {
  const model = repo({
    ...base,
    'clusters/prod/infra.yaml': fluxKs('crds', './infra/crds') + '---\n' + fluxKs('cert-manager', './infra/cert-manager'),
    'infra/crds/clusterissuers.yaml': crd,
  });
  assert.deepEqual(check(model, 'flux/crd-in-same-kustomization'), []);
  const [f, ...rest] = check(model, 'flux/missing-depends-on');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'clusters/prod/infra.yaml');
  assert.equal(at(f), '17:9-17:21');
  assert.equal(f.message, 'Kustomization cert-manager applies ClusterIssuer letsencrypt whose CRD (cert-manager.io) is installed by Kustomization crds, but does not depend on it; on a fresh cluster the apply fails until crds is ready. Add dependsOn: crds.');
  applyFix(model, f.fixes![0]);
  assert.match(model.file('clusters/prod/infra.yaml')!.text, /  dependsOn:\n    - name: crds\n$/);
  assert.deepEqual(check(model, 'flux/missing-depends-on'), []);
  assert.deepEqual(check(model, 'flux/crd-in-same-kustomization'), []);
});

test('a chart told not to install its CRDs is no installer (values switches and install.crds: Skip)', () => {
  for (const extra of ['  values:\n    crds:\n      enabled: false\n', '  values:\n    installCRDs: false\n', '  install:\n    crds: Skip\n']) {
    const model = repo({
      ...base,
      'infra/cert-manager/release.yaml': release(extra),
      'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager'),
    });
    assert.deepEqual(check(model, 'flux/crd-in-same-kustomization'), [], extra);
    // With the CRDs in a crds Kustomization, the dependsOn on it is what is missing.
    const withCrds = repo({
      ...base,
      'infra/cert-manager/release.yaml': release(extra),
      'clusters/prod/infra.yaml': fluxKs('crds', './infra/crds') + '---\n' + fluxKs('cert-manager', './infra/cert-manager'),
      'infra/crds/clusterissuers.yaml': crd,
    });
    assert.deepEqual(check(withCrds, 'flux/missing-depends-on').map((f) => f.message), ['Kustomization cert-manager applies ClusterIssuer letsencrypt whose CRD (cert-manager.io) is installed by Kustomization crds, but does not depend on it; on a fresh cluster the apply fails until crds is ready. Add dependsOn: crds.'], extra);
  }
});

test('flux/crd-in-same-kustomization: one finding per Kustomization and HelmRelease, with the count', () => {
  const model = repo({
    ...base,
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager'),
    'infra/cert-manager/more.yaml': [issuer('a'), issuer('b'), issuer('c'), issuer('d')].join('---\n'),
  });
  const [f, ...rest] = check(model, 'flux/crd-in-same-kustomization');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'infra/cert-manager/issuer.yaml');
  assert.equal(at(f), '2:7-2:20');
  assert.equal(f.severity, 'error');
  assert.equal(f.message, '5 custom resources (ClusterIssuer letsencrypt, ClusterIssuer a, ClusterIssuer b and 2 more) are applied by Kustomization cert-manager together with HelmRelease cert-manager, which installs their CRDs (cert-manager.io); on a fresh cluster the dry-run fails and nothing of cert-manager is applied. Move them to a Kustomization that dependsOn cert-manager.');
  assert.deepEqual(f.related!.map((r) => r.file), ['infra/cert-manager/release.yaml', 'infra/cert-manager/more.yaml', 'infra/cert-manager/more.yaml', 'infra/cert-manager/more.yaml', 'infra/cert-manager/more.yaml']);
});

test('another release of the same chart elsewhere is a second copy: the CRs still move out, no dependsOn on the copy', () => {
  const model = repo({
    ...base,
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager') + '---\n' + fluxKs('cert-manager-copy', './infra/copy'),
    'infra/copy/release.yaml': release().replace('namespace: cert-manager', 'namespace: copy'),
  });
  assert.deepEqual(check(model, 'flux/missing-depends-on'), []);
  assert.deepEqual(check(model, 'flux/crd-in-same-kustomization').map((f) => [f.file, at(f)]), [['infra/cert-manager/issuer.yaml', '2:7-2:20']]);
});

test('a bootstrap script that installs CRDs before Flux (unreadable here) makes it a warning that names the script', () => {
  const files = { ...base, 'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager') };
  assert.equal(check(repo(files), 'flux/crd-in-same-kustomization')[0].severity, 'error');
  // A script in a dead folder, or one that is not about CRDs, changes nothing.
  for (const other of ['.archive/bootstrap-crds.sh', 'setup/bootstrap-cluster.sh', 'docs/crds.md']) {
    assert.equal(check(repo({ ...files, [other]: '#!/bin/sh\n' }), 'flux/crd-in-same-kustomization')[0].severity, 'error', other);
  }
  const [f, ...rest] = check(repo({ ...files, 'setup/bootstrap-crds.sh': '#!/bin/sh\n' }), 'flux/crd-in-same-kustomization');
  assert.deepEqual(rest, []);
  assert.equal(f.severity, 'warning');
  assert.equal(at(f), '2:7-2:20');
  assert.equal(
    f.message,
    'ClusterIssuer letsencrypt is applied by Kustomization cert-manager together with HelmRelease cert-manager, which installs its CRD (cert-manager.io); on a fresh cluster the dry-run fails and nothing of cert-manager is applied. Move it to a Kustomization that dependsOn cert-manager. (Unless setup/bootstrap-crds.sh, which this repository runs before Flux and which cannot be read here, installs it.)',
  );
});

test('the parent that applies a Kustomization is never the dependsOn to add, even when its tree installs the CRD', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
    'apps/cert-manager/release.yaml': release(),
    'apps/web/ks.yaml': fluxKs('web', './web'),
    'web/issuer.yaml': issuer('web'),
  });
  assert.ok(model.graph.appliedBy.get('apps/web/ks.yaml')?.some((ks) => ks.name === 'apps'), 'apps applies web');
  assert.deepEqual(check(model, 'flux/missing-depends-on'), []);
  assert.deepEqual(check(model, 'flux/crd-in-same-kustomization'), []);
});
