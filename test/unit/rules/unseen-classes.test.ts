// Classes of false findings seen on public repositories the tests had never seen (issue 13), each
// as a minimal repository written from scratch: what must not fire, and what must still fire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, certManagerRelease, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';

const partialRelease = yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: web
  spec:
    values:
      replicas: 2
`;
const kustomization = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

test('a patch file is partial wherever it lies: never validated for required fields, even in a folder no cluster applies', () => {
  for (const field of ['patchesStrategicMerge:\n  - patches/web.yaml\n', 'patches:\n  - path: patches/web.yaml\n']) {
    const files = {
      'apps/web/kustomization.yaml': kustomization(`resources:\n  - release.yaml\n${field}`),
      'apps/web/release.yaml': certManagerRelease.replace(/cert-manager/g, 'web'),
      'apps/web/patches/web.yaml': partialRelease,
    };
    // No cluster at all, and a cluster that does not apply apps/.
    assert.deepEqual(check(repo(files), 'schema/invalid').filter((f) => f.severity === 'error'), [], field);
    const withCluster = repo({ ...files, 'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'), 'clusters/prod/other.yaml': fluxKs('other', './other'), 'other/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' });
    assert.deepEqual(check(withCluster, 'schema/invalid').filter((f) => f.severity === 'error'), [], field);
  }
  // The same partial HelmRelease listed as a resource is an object of its own: interval is missing.
  const model = repo({
    'apps/web/kustomization.yaml': kustomization('resources:\n  - patches/web.yaml\n'),
    'apps/web/patches/web.yaml': partialRelease,
  });
  const [f, ...rest] = check(model, 'schema/invalid').filter((x) => x.severity === 'error');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/web/patches/web.yaml');
  assert.equal(at(f), '5:1-5:5');
  assert.equal(f.message, 'Missing required field "interval" in HelmRelease.spec');
});

test('without clusters, a manifest its folder\'s kustomization does not list is not validated; one it lists is', () => {
  const files = {
    'apps/web/kustomization.yaml': kustomization('resources:\n  - release.yaml\n# patchesStrategicMerge:\n#   - patches/web.yaml\n'),
    'apps/web/release.yaml': certManagerRelease.replace(/cert-manager/g, 'web'),
    'apps/web/patches/web.yaml': partialRelease,
  };
  assert.deepEqual(check(repo(files), 'schema/invalid').filter((f) => f.severity === 'error'), []);
  const listed = repo({ ...files, 'apps/web/release.yaml': partialRelease });
  assert.deepEqual(check(listed, 'schema/invalid').filter((f) => f.severity === 'error').map((f) => `${f.file} ${at(f)} ${f.message}`), ['apps/web/release.yaml 5:1-5:5 Missing required field "interval" in HelmRelease.spec']);
});

// A sync Kustomization named otherwise than flux-system, through a GitRepository named otherwise.
const selfSync = (url: string) => yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: GitRepository
  metadata:
    name: home
    namespace: flux-system
  spec:
    interval: 10m
    url: ${url}
    ref:
      branch: main
  ---
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: cluster
    namespace: flux-system
  spec:
    interval: 10m
    path: ./cluster/flux
    prune: true
    sourceRef:
      kind: GitRepository
      name: home
`;
const appsKs = yaml`
  apiVersion: kustomize.toolkit.fluxcd.io/v1
  kind: Kustomization
  metadata:
    name: apps
    namespace: flux-system
  spec:
    interval: 10m
    path: ./cluster/apps
    prune: true
    sourceRef:
      kind: GitRepository
      name: home
`;

test('a GitRepository through which a Kustomization applies the folder holding it is this repository: its clusters are found', () => {
  const model = repo({
    'cluster/flux/sync/sync.yaml': selfSync('https://git.example.com/me/home'),
    'cluster/flux/apps.yaml': appsKs,
    'cluster/apps/web/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
  });
  assert.deepEqual(model.graph.clusters.map((c) => [c.name, c.folder, c.reason]), [['flux', 'cluster/flux', 'Kustomization cluster in cluster/flux/sync/sync.yaml applies the folder that holds it']]);
  assert.deepEqual([...(model.graph.clustersOf.get('cluster/apps/web/deployment.yaml') ?? [])], ['flux']);
  // Another repository's GitRepository, whose Kustomization applies a folder not holding it, stays another repository.
  const other = repo({
    'cluster/flux/sync/sync.yaml': selfSync('https://git.example.com/me/home').replace('path: ./cluster/flux', 'path: ./deploy'),
    'cluster/flux/apps.yaml': appsKs,
    'deploy/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
  });
  assert.match(other.graph.fluxKustomizations.find((k) => k.name === 'apps')!.unresolvedReason ?? '', /another repository or branch/);
});

test('a variable a kustomize component patches into the child Kustomization (substituteFrom) is provided; without it, it is not', () => {
  const files = (components: string) => ({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
    'apps/kustomization.yaml': kustomization(`resources:\n  - web/ks.yaml\n${components}`),
    'apps/web/ks.yaml': fluxKs('web', './apps/web/app', '  postBuild:\n    substitute:\n      APP: web\n'),
    'apps/web/app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${APP}\ndata:\n  host: web.${DOMAIN}\n',
    'components/vars/kustomization.yaml': yaml`
      apiVersion: kustomize.config.k8s.io/v1alpha1
      kind: Component
      resources:
        - vars.yaml
      patches:
        - target:
            group: kustomize.toolkit.fluxcd.io
            kind: Kustomization
          patch: |-
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: any
            spec:
              postBuild:
                substituteFrom:
                  - kind: ConfigMap
                    name: vars
    `,
    'components/vars/vars.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vars\n  namespace: flux-system\ndata:\n  DOMAIN: example.com\n',
  });
  assert.deepEqual(check(repo(files('components:\n  - ../components/vars\n')), 'flux/invalid-substitution'), []);
  const [f, ...rest] = check(repo(files('')), 'flux/invalid-substitution');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/web/app/cm.yaml');
  assert.equal(at(f), '6:13-6:22');
  assert.equal(f.message, '${DOMAIN} is not provided by Kustomization web (postBuild.substitute) and has no default: Flux replaces it with an empty string.');
});

test('a Flux Kustomization applying a chart\'s CRDs from its own repository is an installer: the chart beside the custom resources is not the only one', () => {
  const issuer = 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt\n';
  const remoteCrds = yaml`
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: GitRepository
    metadata:
      name: cert-manager-source
      namespace: flux-system
    spec:
      interval: 12h
      url: https://git.example.com/vendor/cert-manager
      ref:
        tag: v1.0.0
      ignore: |
        /*
        !/deploy/crds
    ---
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: crds-cert-manager
      namespace: flux-system
    spec:
      interval: 30m
      prune: false
      sourceRef:
        kind: GitRepository
        name: cert-manager-source
  `;
  const files = {
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/crds.yaml': fluxKs('crds', './crds'),
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager', '  dependsOn:\n    - name: crds\n'),
    'crds/cert-manager.yaml': remoteCrds,
    'infra/cert-manager/release.yaml': certManagerRelease,
    'infra/cert-manager/issuer.yaml': issuer,
  };
  assert.deepEqual(check(repo(files), 'flux/crd-in-same-kustomization'), []);
  assert.deepEqual(check(repo(files), 'flux/missing-depends-on'), []);
  // Without it, the chart beside the ClusterIssuer is the only installer.
  const [f, ...rest] = check(repo({ ...files, 'crds/cert-manager.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nothing\n' }), 'flux/crd-in-same-kustomization');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'infra/cert-manager/issuer.yaml');
  assert.equal(at(f), '2:7-2:20');
  assert.equal(f.message, 'ClusterIssuer letsencrypt is applied by Kustomization cert-manager together with HelmRelease cert-manager, which installs its CRD (cert-manager.io); on a fresh cluster the dry-run fails and nothing of cert-manager is applied. Move it to a Kustomization that dependsOn cert-manager.');
});

test('a bootstrap kustomization (helmCharts) listed only by another unapplied kustomization installs its chart before Flux', () => {
  const pool = 'apiVersion: cilium.io/v2alpha1\nkind: CiliumLoadBalancerIPPool\nmetadata:\n  name: pool\n';
  const cilium = certManagerRelease.replace(/cert-manager/g, 'cilium').replace('jetstack', 'cilium');
  const files = {
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/infra.yaml': fluxKs('cilium', './infra/cilium'),
    'infra/cilium/release.yaml': cilium,
    'infra/cilium/pool.yaml': pool,
    'bootstrap/kustomization.yaml': kustomization('resources:\n  - cni\n'),
    'bootstrap/cni/kustomization.yaml': kustomization('helmCharts:\n  - name: cilium\n    repo: https://helm.example.com\n    version: 1.0.0\n    releaseName: cilium\n'),
  };
  assert.deepEqual(check(repo(files), 'flux/crd-in-same-kustomization'), []);
  const withoutBootstrap = repo({ ...files, 'bootstrap/kustomization.yaml': null, 'bootstrap/cni/kustomization.yaml': null });
  assert.deepEqual(check(withoutBootstrap, 'flux/crd-in-same-kustomization').map((f) => `${f.file} ${at(f)}`), ['infra/cilium/pool.yaml 2:7-2:31']);
});

test('public material in a Secret (SSH public keys, certificates) is no secret in clear; a private key beside it is', () => {
  const sshKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake me@example.com';
  const cert = '-----BEGIN CERTIFICATE-----\nMIIBfakefakefake\nfakefake==\n-----END CERTIFICATE-----\n';
  const secret = (body: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: keys\ntype: Opaque\n${body}`;
  const publicOnly = repo({
    'apps/keys/stringData.yaml': secret(`stringData:\n  authorized_keys: |\n    ${sshKey}\n    # a comment\n`),
    'apps/keys/data.yaml': secret(`data:\n  ca.crt: ${Buffer.from(cert).toString('base64')}\n`),
  });
  assert.deepEqual(check(publicOnly, 'secrets/unencrypted'), []);
  const withPrivate = repo({
    'apps/keys/data.yaml': secret(`data:\n  ca.crt: ${Buffer.from(cert).toString('base64')}\n  ca.key: ${Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIEfake\n-----END PRIVATE KEY-----\n').toString('base64')}\n`),
  });
  const [f, ...rest] = check(withPrivate, 'secrets/unencrypted');
  assert.deepEqual(rest, []);
  assert.equal(at(f), '8:3-8:9');
  assert.equal(f.message, 'Secret keys has a value in clear (data.ca.key); encrypt the file with SOPS before pushing.');
});

test('a Secret that holds nothing in clear (placeholders, public keys) needs no creation rule; one with a credential in clear does', () => {
  const sops = 'creation_rules:\n  - path_regex: apps/.*\\.sops\\.yaml\n    age: age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq\n';
  const secret = (body: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: backup\nstringData:\n${body}`;
  const placeholders = repo({
    '.sops.yaml': sops,
    'components/backup/secret.yaml': secret('  REPOSITORY: s3:${ENDPOINT}/backups/${APP}\n  PASSWORD: ${BACKUP_PASSWORD}\n'),
  });
  assert.deepEqual(check(placeholders, 'secrets/no-creation-rule'), []);
  const clear = repo({
    '.sops.yaml': sops,
    'components/backup/secret.yaml': secret('  REPOSITORY: s3:${ENDPOINT}/backups/${APP}\n  PASSWORD: hunter2hunter2\n'),
  });
  const [f, ...rest] = check(clear, 'secrets/no-creation-rule');
  assert.deepEqual(rest, []);
  assert.equal(at(f), '2:7-2:13');
  assert.equal(f.message, 'No creation rule of .sops.yaml matches components/backup/secret.yaml: sops cannot encrypt it. Add a path_regex that covers it, or move the file.');
});

test('a credential set to a sentinel (`none`) or to a `$VAR` the program expands is not in clear; a literal password is', () => {
  const release = (value: string) => yaml`
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: app
    spec:
      interval: 1h
      chart:
        spec:
          chart: app
          sourceRef:
            kind: HelmRepository
            name: charts
      values:
        env:
          BACKUP_PASSWORD: ${value}
  `;
  for (const value of ['"none"', '"$DB_PASSWORD"']) assert.deepEqual(check(repo({ 'apps/app/release.yaml': release(value) }), 'secrets/plaintext-credential'), [], value);
  const [f, ...rest] = check(repo({ 'apps/app/release.yaml': release('hunter2hunter2') }), 'secrets/plaintext-credential');
  assert.deepEqual(rest, []);
  assert.equal(at(f), '15:7-15:22');
  assert.equal(f.message, 'HelmRelease app has a credential in clear (BACKUP_PASSWORD) in spec.values; keep it in a SOPS-encrypted Secret and reference it instead.');
});
