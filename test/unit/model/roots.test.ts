import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexJson } from '../../../server/src/output/index-json';
import { at, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';

const cm = (name: string, ns?: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}`;
const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const roots = (model: ReturnType<typeof repo>) => model.graph.clusters.map((c) => [c.name, c.folder, c.rootKind]);

const fluxInstanceRelease = (path: string) => yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: flux-instance
    namespace: flux-system
  spec:
    chartRef:
      kind: OCIRepository
      name: flux-instance
    values:
      instance:
        sync:
          kind: GitRepository
          url: https://example.com/home-ops
          ref: refs/heads/main
          path: ${path}
`;

test('a Flux Kustomization its parent lists only in a comment is a dead file, not a cluster', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
    'apps/kustomization.yaml': 'resources:\n  - ./web/ks.yaml\n  # - ./policies/ks.yaml\n',
    'apps/web/ks.yaml': fluxKs('web', './apps/web/app'),
    'apps/web/app/ns.yaml': ns('web'),
    // Applies its own folder, so it once counted as a self-applying root.
    'apps/policies/ks.yaml': fluxKs('policies', './apps/policies'),
    'apps/policies/ns.yaml': ns('policies'),
  });
  assert.deepEqual(roots(model), [['prod', 'clusters/prod', 'flux-system']]);
  assert.deepEqual(model.graph.unreachable, ['apps/policies/ks.yaml', 'apps/policies/ns.yaml']);
  // Its objects are not checked as live: no namespace findings for the dead folder.
  assert.deepEqual(check(model, 'quota/missing').map((f) => f.file), ['apps/web/app/ns.yaml']);
});

test('without any bootstrap, a component folder nobody applies is dead; a cluster folder nobody applies is a cluster', () => {
  const dead = repo({
    'kubernetes/apps/kustomization.yaml': 'resources:\n  # - ./x/ks.yaml\n',
    'kubernetes/apps/x/ks.yaml': fluxKs('x', './kubernetes/apps/x/app'),
    'kubernetes/apps/x/app/ns.yaml': ns('x'),
    'kubernetes/apps/y/ks.yaml': fluxKs('y', './kubernetes/apps/y/app'),
    'kubernetes/apps/y/app/ns.yaml': ns('y'),
  });
  assert.deepEqual(roots(dead), []);
  assert.equal(dead.graph.unreachable.length, 5);
  // The design seed's shape: clusters/staging holds Kustomizations that apply other folders.
  const live = repo({
    'clusters/staging/kustomization.yaml': 'resources:\n  - core.yaml\n',
    'clusters/staging/core.yaml': fluxKs('core', './environments/core'),
    'environments/core/dns/ns.yaml': ns('dns'),
  });
  assert.deepEqual(roots(live), [['staging', 'clusters/staging', 'unreferenced']]);
  assert.equal(
    live.graph.clusters[0].reason,
    'nothing applies clusters/staging, a folder of Flux Kustomizations that apply other folders (core in clusters/staging/core.yaml): a conventional cluster folder',
  );
});

test('a flux-instance HelmRelease sync path is a cluster root; clusters are named by the folder segment that names them', () => {
  const model = repo({
    'kubernetes/main/apps/flux-system/flux-instance/app/helmrelease.yaml': fluxInstanceRelease('kubernetes/main/flux/cluster'),
    'kubernetes/main/flux/cluster/ks.yaml': fluxKs('cluster-apps', './kubernetes/main/apps'),
    'kubernetes/main/apps/db/ks.yaml': fluxKs('pg', './kubernetes/main/apps/db/pg'),
    'kubernetes/main/apps/db/pg/ns.yaml': ns('db'),
    'kubernetes/utility/apps/flux-system/helmrelease.yaml': fluxInstanceRelease('kubernetes/utility/flux/cluster'),
    'kubernetes/utility/flux/cluster/ks.yaml': fluxKs('cluster-apps', './kubernetes/utility/apps'),
  });
  assert.deepEqual(roots(model), [
    ['main', 'kubernetes/main/flux/cluster', 'HelmRelease'],
    ['utility', 'kubernetes/utility/flux/cluster', 'HelmRelease'],
  ]);
  assert.deepEqual([...model.graph.clustersOf.get('kubernetes/main/apps/db/pg/ns.yaml')!], ['main']);
  assert.deepEqual(model.graph.unreachable, []);
  const [main] = (indexJson(model) as any).clusters;
  assert.equal(main.reason, 'HelmRelease flux-instance (chart flux-instance) in kubernetes/main/apps/flux-system/flux-instance/app/helmrelease.yaml syncs kubernetes/main/flux/cluster');
  assert.deepEqual(main.evidence, { file: 'kubernetes/main/apps/flux-system/flux-instance/app/helmrelease.yaml', line: 16 });
});

test('a flux2-sync HelmRelease names its Kustomization path', () => {
  const model = repo({
    'infra/flux/sync.yaml': yaml`
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: flux-sync
        namespace: flux-system
      spec:
        chart:
          spec:
            chart: flux2-sync
        values:
          gitRepository:
            spec:
              url: https://example.com/repo
          kustomization:
            spec:
              path: ./fleet/home
    `,
    'fleet/home/apps.yaml': fluxKs('apps', './apps'),
    'apps/cm.yaml': cm('web', 'web'),
  });
  assert.deepEqual(roots(model), [['home', 'fleet/home', 'HelmRelease']]);
  assert.ok(model.graph.clustersOf.has('apps/cm.yaml'));
});

test('a templated sync path patched once per cluster gives one cluster per patch, with its variables', () => {
  const model = repo({
    'bootstrap/base/kustomization.yaml': 'resources:\n  - sync.yaml\n',
    'bootstrap/base/sync.yaml': fluxKs('cluster', './clusters/${ENVIRONMENT}/${CLUSTER}'),
    'bootstrap/prod-eu/kustomization.yaml': yaml`
      resources:
        - ../base
      patches:
        - target:
            kind: Kustomization
            name: cluster
          patch: |
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: cluster
            spec:
              postBuild:
                substitute:
                  ENVIRONMENT: prod
                  CLUSTER: eu
    `,
    'bootstrap/staging-us/kustomization.yaml': yaml`
      resources:
        - ../base
      patches:
        - target:
            kind: Kustomization
            name: cluster
          patch: |
            - op: replace
              path: /spec/path
              value: ./clusters/staging/us
    `,
    'clusters/prod/eu/apps.yaml': fluxKs('apps', './apps/${CLUSTER}'),
    'clusters/staging/us/apps.yaml': fluxKs('apps', './apps/us'),
    'apps/eu/cm.yaml': cm('web', 'web'),
    'apps/us/cm.yaml': cm('web', 'web'),
  });
  assert.deepEqual(roots(model), [
    ['eu', 'clusters/prod/eu', 'patched-path'],
    ['us', 'clusters/staging/us', 'patched-path'],
  ]);
  assert.deepEqual(model.graph.clusters[0].variables, { ENVIRONMENT: 'prod', CLUSTER: 'eu' });
  assert.equal(model.graph.clusters[0].reason, 'bootstrap/prod-eu/kustomization.yaml includes the sync Kustomization cluster (bootstrap/base/sync.yaml) and patches the variables of ./clusters/${ENVIRONMENT}/${CLUSTER} (ENVIRONMENT=prod, CLUSTER=eu)');
  assert.equal(model.graph.clusters[1].reason, 'bootstrap/staging-us/kustomization.yaml includes the sync Kustomization cluster (bootstrap/base/sync.yaml) and patches spec.path to ./clusters/staging/us');
  assert.deepEqual([...model.graph.clustersOf.get('apps/eu/cm.yaml')!], ['eu']);
  assert.deepEqual([...model.graph.clustersOf.get('apps/us/cm.yaml')!], ['us']);
});

test('a root that applies the namespace folders and patches decryption into every child: the folders are not clusters', () => {
  const encrypted = yaml`
    apiVersion: v1
    kind: Secret
    metadata:
      name: token
    stringData:
      token: ENC[AES256_GCM,data:AAAA,iv:BBBB,tag:CCCC,type:str]
    sops:
      age:
        - recipient: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw
          enc: x
      lastmodified: "2026-01-01T00:00:00Z"
      mac: ENC[AES256_GCM,data:DDDD,iv:EEEE,tag:FFFF,type:str]
  `;
  const patch = '  patches:\n    - patch: |-\n        apiVersion: kustomize.toolkit.fluxcd.io/v1\n        kind: Kustomization\n        metadata:\n          name: _\n        spec:\n          decryption:\n            provider: sops\n      target:\n        kind: Kustomization\n';
  const files = (rootExtra: string) => ({
    'kubernetes/main/apps/flux-system/kustomization.yaml': 'resources:\n  - ./flux-instance/helmrelease.yaml\n',
    'kubernetes/main/apps/flux-system/flux-instance/helmrelease.yaml': fluxInstanceRelease('kubernetes/main/flux/cluster'),
    'kubernetes/main/flux/cluster/ks.yaml': fluxKs('cluster-apps', './kubernetes/main/apps', rootExtra),
    'kubernetes/main/apps/db/kustomization.yaml': 'resources:\n  - ./pg/ks.yaml\n',
    'kubernetes/main/apps/db/pg/ks.yaml': fluxKs('pg', './kubernetes/main/apps/db/pg/app'),
    'kubernetes/main/apps/db/pg/app/secret.sops.yaml': encrypted,
  });
  const patched = repo(files(patch));
  assert.deepEqual(roots(patched), [['main', 'kubernetes/main/flux/cluster', 'HelmRelease']]);
  assert.deepEqual(check(patched, 'flux/missing-decryption'), []);
  // Without the parent's patch the child really lacks decryption.
  const unpatched = repo(files(''));
  const [f, ...rest] = check(unpatched, 'flux/missing-decryption');
  assert.equal(rest.length, 0);
  assert.equal(f.file, 'kubernetes/main/apps/db/pg/ks.yaml');
  assert.equal(at(f), '4:9-4:11');
  assert.equal(f.message, 'Kustomization pg applies a SOPS-encrypted file (kubernetes/main/apps/db/pg/app/secret.sops.yaml) but has no spec.decryption with provider sops; it would reach the cluster encrypted.');
});

test('a sourceRef the parent patches into its children resolves their paths', () => {
  const patch = '  patches:\n    - patch: |-\n        apiVersion: kustomize.toolkit.fluxcd.io/v1\n        kind: Kustomization\n        metadata:\n          name: _\n        spec:\n          sourceRef:\n            kind: GitRepository\n            name: flux-system\n      target:\n        kind: Kustomization\n';
  const model = repo({
    'clusters/home/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('home'),
    'clusters/home/apps.yaml': fluxKs('apps', './apps', patch),
    'apps/web.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  path: ./web/app\n',
    'web/app/cm.yaml': cm('web', 'web'),
  });
  const web = model.graph.fluxKustomizations.find((k) => k.name === 'web')!;
  assert.equal(web.folder, 'web/app');
  assert.ok(model.graph.clustersOf.has('web/app/cm.yaml'));
});

test('a Kustomization without spec.path whose source is another repository is unresolved, never this repository root', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/platform.yaml': fluxKs('platform', '""').replace('name: flux-system\n', 'name: platform-repo\n').replace('  path: ""\n', ''),
    'clusters/prod/oci.yaml': fluxKs('oci', '""').replace('kind: GitRepository\n    name: flux-system\n', 'kind: OCIRepository\n    name: bundle\n').replace('  path: ""\n', ''),
    'elsewhere/cm.yaml': cm('x', 'x'),
  });
  const platform = model.graph.fluxKustomizations.find((k) => k.name === 'platform')!;
  assert.equal(platform.folder, undefined);
  assert.equal(platform.unresolvedReason, 'spec.path is not set, so it applies the whole of GitRepository platform-repo, which is not defined in this repository');
  const oci = model.graph.fluxKustomizations.find((k) => k.name === 'oci')!;
  assert.equal(oci.folder, undefined);
  assert.equal(oci.unresolvedReason, 'spec.path is not set, so it applies the whole OCIRepository artifact bundle, whose root is not known in this repository');
  assert.deepEqual(roots(model), [['prod', 'clusters/prod', 'flux-system']]);
  assert.deepEqual(model.graph.unreachable, ['elsewhere/cm.yaml']);
  // A source in the namespace a kustomization gives both later is still found.
  const namespaced = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/db/kustomization.yaml': 'namespace: db\nresources:\n  - ks.yaml\n',
    'clusters/prod/db/ks.yaml': yaml`
      apiVersion: source.toolkit.fluxcd.io/v1
      kind: GitRepository
      metadata:
        name: crds
        namespace: db
      spec:
        url: https://github.com/example/operator.git
        ref:
          tag: v1.0.0
      ---
      apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: crds
      spec:
        sourceRef:
          kind: GitRepository
          name: crds
    `,
  });
  const crds = namespaced.graph.fluxKustomizations.find((k) => k.name === 'crds')!;
  assert.equal(crds.unresolvedReason, 'its source GitRepository crds is another repository or branch (https://github.com/example/operator.git at v1.0.0)');
  assert.deepEqual(check(model, 'flux/path-not-found'), []);
});

test('configured clusters win over every detected root, and say so', () => {
  const model = repo({
    '.gitops-guardrails.yaml': 'clusters:\n  - name: lab\n    path: ./clusters/lab\n',
    'clusters/lab/apps.yaml': fluxKs('apps', './apps'),
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'apps/cm.yaml': cm('web', 'web'),
  });
  assert.deepEqual(roots(model), [['lab', 'clusters/lab', 'config']]);
  const [lab] = (indexJson(model) as any).clusters;
  assert.equal(lab.reason, '.gitops-guardrails.yaml names cluster lab at clusters/lab');
  assert.deepEqual(lab.evidence, { file: '.gitops-guardrails.yaml', line: 3 });
});

test('index --json says where the layer order comes from', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/all.yaml': fluxKs('env', './environments'),
    'environments/core/dns/ns.yaml': ns('dns'),
    'environments/apps/web/ns.yaml': ns('web'),
  });
  assert.deepEqual((indexJson(model) as any).layerOrder, {
    source: 'convention',
    certain: true,
    reason: 'conventional layer folder names (environments/core, environments/apps)',
    lowestFirst: ['core', 'apps'],
  });
});
