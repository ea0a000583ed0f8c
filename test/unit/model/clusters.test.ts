import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';

const cm = (name: string, ns?: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}`;

test('a flux-system sync Kustomization makes its path a cluster; a sibling folder without one is found as unreferenced', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
    'clusters/staging/kustomization.yaml': 'resources:\n  - apps.yaml\n',
    'clusters/staging/apps.yaml': fluxKs('apps-staging', './apps'),
    'apps/web.yaml': cm('web'),
  });
  const clusters = model.graph.clusters.map((c) => [c.name, c.folder, c.rootKind, c.kustomizations.map((k) => k.name)]);
  assert.deepEqual(clusters, [
    ['prod', 'clusters/prod', 'flux-system', ['flux-system', 'apps']],
    ['staging', 'clusters/staging', 'unreferenced', ['apps-staging']],
  ]);
  assert.deepEqual([...model.graph.clustersOf.get('apps/web.yaml')!].sort(), ['prod', 'staging']);
  assert.deepEqual(model.graph.unreachable, []);
});

test('a FluxInstance sync path is a cluster root', () => {
  const model = repo({
    'flux/instance.yaml': yaml`
      apiVersion: fluxcd.controlplane.io/v1
      kind: FluxInstance
      metadata:
        name: flux
        namespace: flux-system
      spec:
        sync:
          kind: GitRepository
          url: https://example.com/repo
          path: ./clusters/home
    `,
    'clusters/home/apps.yaml': fluxKs('apps', './apps'),
    'apps/web.yaml': cm('web'),
  });
  assert.deepEqual(model.graph.clusters.map((c) => [c.name, c.rootKind]), [['home', 'FluxInstance']]);
  assert.ok(model.graph.clustersOf.has('apps/web.yaml'));
});

test('an OCI artifact of the repository is rooted at the ancestor under which its paths exist', () => {
  const model = repo({
    'kubernetes/clusters/main/ks.yaml': fluxKs('cluster', './apps/main').replace('kind: GitRepository', 'kind: OCIRepository'),
    'kubernetes/apps/main/web.yaml': cm('web'),
  });
  const ks = model.graph.fluxKustomizations[0];
  assert.equal(ks.folder, 'kubernetes/apps/main');
  assert.ok(model.graph.clustersOf.has('kubernetes/apps/main/web.yaml'));
});

test('an ArtifactGenerator copy rule maps an ExternalArtifact path back to a folder', () => {
  const model = repo({
    'clusters/prod/artifacts.yaml': yaml`
      apiVersion: source.extensions.fluxcd.io/v1beta1
      kind: ArtifactGenerator
      metadata:
        name: gen
        namespace: flux-system
      spec:
        sources:
          - alias: repo
            kind: GitRepository
            name: flux-system
        artifacts:
          - name: apps
            copy:
              - from: "@repo/apps/production/**"
                to: "@artifact/production/"
    `,
    'clusters/prod/apps.yaml': fluxKs('apps', './production').replace('kind: GitRepository\n    name: flux-system', 'kind: ExternalArtifact\n    name: apps'),
    'apps/production/web.yaml': cm('web'),
  });
  const ks = model.graph.fluxKustomizations.find((k) => k.name === 'apps')!;
  assert.equal(ks.unresolvedReason, undefined);
  assert.equal(ks.folder, 'apps/production');
});

test('an OCIRepository defined in the repository is an outside artifact: unresolved, never missing', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/kyverno.yaml': yaml`
      apiVersion: source.toolkit.fluxcd.io/v1
      kind: OCIRepository
      metadata:
        name: kyverno
        namespace: flux-system
      spec:
        url: oci://ghcr.io/kyverno/manifests/kyverno
      ---
    ` + fluxKs('kyverno', './').replace('kind: GitRepository\n    name: flux-system', 'kind: OCIRepository\n    name: kyverno'),
  });
  const ks = model.graph.fluxKustomizations.find((k) => k.name === 'kyverno')!;
  assert.equal(ks.folder, undefined);
  assert.equal(ks.unresolvedReason, 'its source OCIRepository kyverno is an artifact built outside this repository (oci://ghcr.io/kyverno/manifests/kyverno)');
});

test('post-build variables of the applying Kustomization resolve a child path', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps/base', '  postBuild:\n    substitute:\n      CLUSTER: prod\n'),
    'apps/base/child.yaml': fluxKs('child', './apps/${CLUSTER}/web'),
    'apps/prod/web/cm.yaml': cm('web'),
  });
  const child = model.graph.fluxKustomizations.find((k) => k.name === 'child')!;
  assert.equal(child.folder, 'apps/prod/web');
  assert.ok(model.graph.clustersOf.has('apps/prod/web/cm.yaml'));
});

test('kustomize namespace and Flux targetNamespace are injected into resources; the outermost wins', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps') + '---\n' + fluxKs('tenant', './tenant', '  targetNamespace: tenant-a\n'),
    'apps/kustomization.yaml': 'namespace: outer\nresources:\n  - inner\n',
    'apps/inner/kustomization.yaml': 'namespace: inner\nresources:\n  - cm.yaml\n',
    'apps/inner/cm.yaml': cm('web', 'written'),
    'tenant/cm.yaml': cm('t'),
  });
  const web = model.file('apps/inner/cm.yaml')!.resources[0];
  assert.equal(model.namespaceOf(web), 'outer');
  assert.equal(model.namespaceOf(model.file('tenant/cm.yaml')!.resources[0]), 'tenant-a');
});

test('documents of patch files are not resources, and a folder without kustomization.yaml is applied whole', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
    'apps/a/kustomization.yaml': 'resources:\n  - cm.yaml\npatches:\n  - path: ks-patch.yaml\n',
    'apps/a/cm.yaml': cm('a'),
    'apps/a/ks-patch.yaml': fluxKs('apps', './elsewhere'),
    'apps/b/deep/cm.yaml': cm('b'),
  });
  assert.deepEqual(model.graph.fluxKustomizations.map((k) => k.name).sort(), ['apps', 'flux-system']);
  assert.ok(model.graph.patchFiles.has('apps/a/ks-patch.yaml'));
  assert.ok(model.graph.clustersOf.has('apps/b/deep/cm.yaml'));
});

test('dead folders do not become clusters; their files are unreachable', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    '.archive/old/ks.yaml': fluxKs('old', './gone'),
    'apps/base/x/ks.yaml': fluxKs('never-listed', './apps/base/x/app'),
  });
  assert.deepEqual(model.graph.clusters.map((c) => c.name), ['prod']);
  assert.deepEqual(model.graph.unreachable, ['.archive/old/ks.yaml', 'apps/base/x/ks.yaml']);
});
