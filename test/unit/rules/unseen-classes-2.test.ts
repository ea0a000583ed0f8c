// Classes of false findings seen on a second round of public repositories the tests had never
// seen, each as a minimal repository written from scratch: what must not fire, and what must
// still fire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKustomization } from '../../../server/src/model/build';
import { at, certManagerRelease, check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';
import { memoryInput } from '../model/build/memoryInput';

const kustomization = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

test('flux/invalid-substitution: a document a kustomization opts out of substitution (commonAnnotations, labels) is not substituted; one it does not opt out is', () => {
  const dashboard = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dashboard\ndata:\n  link: /d/x?var-namespace=${__data.fields.namespace}\n';
  const files = (setting: string) => ({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/dashboards.yaml': fluxKs('dashboards', './dashboards', '  postBuild:\n    substitute:\n      DOMAIN: example.org\n'),
    'dashboards/kustomization.yaml': kustomization(`resources:\n  - dashboard.yaml\n${setting}`),
    'dashboards/dashboard.yaml': dashboard,
  });
  for (const setting of [
    'commonAnnotations:\n  kustomize.toolkit.fluxcd.io/substitute: disabled\n',
    'commonLabels:\n  kustomize.toolkit.fluxcd.io/substitute: disabled\n',
    'labels:\n  - pairs:\n      kustomize.toolkit.fluxcd.io/substitute: disabled\n',
  ]) {
    assert.deepEqual(check(repo(files(setting)), 'flux/invalid-substitution'), [], setting);
  }
  const [f, ...rest] = check(repo(files('')), 'flux/invalid-substitution');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'dashboards/dashboard.yaml');
  assert.equal(f.severity, 'error');
  assert.equal(at(f), '6:28-6:54');
  assert.equal(f.message, '${__data.fields.namespace} is not a valid Flux substitution ("." cannot follow a variable name); the build of Kustomization dashboards fails. Use ${NAME}, ${NAME:=default}, or $${...} for a literal.');
});

test('flux/path-not-found: a folder named as the repository its sync GitRepository pulls is that repository\'s root; a path written from another folder stays missing', () => {
  const sync = (url: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  ref:
    branch: main
  url: ${url}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
  const files = (url: string) => ({
    'repos/fleet/clusters/prod/flux-system/gotk-sync.yaml': sync(url),
    'repos/fleet/clusters/prod/apps.yaml': fluxKs('apps', './apps'),
    'repos/fleet/clusters/prod/typo.yaml': fluxKs('typo', './appz'),
    'repos/fleet/apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: flux-system\n',
    'repos/website/index.yaml': 'title: another repository kept beside it\n',
  });
  for (const url of ['ssh://git@example.com/org/fleet.git', 'https://example.com/org/Fleet']) {
    const model = repo(files(url));
    const findings = check(model, 'flux/path-not-found');
    assert.deepEqual(findings.map((f) => `${f.file} ${at(f)} ${f.message}`), [
      'repos/fleet/clusters/prod/typo.yaml 8:9-8:15 spec.path "./appz" of Kustomization typo does not exist in repos/fleet (the root of its source, a repository of its own); did you mean "./apps"?',
    ], url);
    assert.deepEqual(findings[0].fixes?.map((x) => x.title), ['Change spec.path to ./apps']);
    assert.equal(model.fileKind('repos/fleet/apps/cm.yaml')?.kind, 'applied', url);
  }
  // Named otherwise, the folder is not known to be the repository: the paths are read from the root.
  const other = check(repo(files('https://example.com/org/home-ops.git')), 'flux/path-not-found');
  assert.ok(other.some((f) => f.file === 'repos/fleet/clusters/prod/flux-system/gotk-sync.yaml' && f.message.startsWith('spec.path "./clusters/prod" of Kustomization flux-system does not exist in this repository')), other.map((f) => f.message).join('\n'));
});

test('a mapping or sequence as a mapping key is refused as Go\'s YAML refuses it (kubectl kustomize: invalid map key): the build and yaml/syntax say so', () => {
  const kustomization = 'resources:\n  - cm.yaml\n';
  const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\ndata:\n${data}`;
  // A template's kustomization (`namespace: {{ .namespace }}`) and a manifest with a complex key.
  const template = buildKustomization(memoryInput({ 'app/kustomization.yaml': 'namespace: {{ .namespace }}\nresources: []\n' }), 'app');
  assert.match(template.error?.message ?? '', /^invalid Kustomization: A mapping key that is itself a mapping: kustomize and Flux read YAML with Go's parser, which refuses it \(invalid map key\)/);
  const complex = buildKustomization(memoryInput({ 'app/kustomization.yaml': kustomization, 'app/cm.yaml': cm('  ? [a, b]\n  : y\n') }), 'app');
  assert.match(complex.error?.message ?? '', /A mapping key that is itself a sequence/);
  const plain = buildKustomization(memoryInput({ 'app/kustomization.yaml': kustomization, 'app/cm.yaml': cm('  "{{ a }}": y\n  b: "[c]"\n') }), 'app');
  assert.equal(plain.error, undefined);
  assert.equal(plain.objects.length, 1);

  const files = (data: string) => ({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
    'apps/kustomization.yaml': kustomization,
    'apps/cm.yaml': cm(data),
  });
  assert.deepEqual(check(repo(files('  "[a, b]": y\n')), 'yaml/syntax'), []);
  const [f, ...rest] = check(repo(files('  ? [a, b]\n  : y\n')), 'yaml/syntax');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/cm.yaml');
  assert.equal(f.severity, 'error');
  assert.equal(at(f), '7:5-7:11');
  assert.equal(f.message, "A mapping key that is itself a sequence: kustomize and Flux read YAML with Go's parser, which refuses it (invalid map key). Quote the text if it is not meant as YAML structure.");
});

test('yaml/syntax: a file read only as generator data is not parsed by kustomize: quiet when it is YAML once substituted, a warning when it is not', () => {
  const files = (values: string) => ({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/monitoring.yaml': fluxKs('monitoring', './monitoring', '  postBuild:\n    substitute:\n      DOMAIN: example.org\n'),
    'monitoring/kustomization.yaml': kustomization('configMapGenerator:\n  - name: values\n    files:\n      - values.yaml=helm-values.yaml\n'),
    'monitoring/helm-values.yaml': values,
  });
  // `[vault.${DOMAIN}:8200]`: braces end a plain scalar in a flow sequence, until Flux substitutes them.
  const substituted = 'scrape:\n  - targets: [vault.${DOMAIN}:8200]\n';
  assert.deepEqual(check(repo(files(substituted)), 'yaml/syntax'), []);
  // A template that a program fills in before reading it (`{{ .TOKEN }}`, a mapping key to Go's YAML).
  assert.deepEqual(check(repo(files('server:\n  token: {{ .TOKEN }}\n')), 'yaml/syntax'), []);
  const [f, ...rest] = check(repo(files('scrape:\n  - targets: [vault:8200\n')), 'yaml/syntax');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'monitoring/helm-values.yaml');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /; kustomize does not parse it \(monitoring\/kustomization\.yaml reads it as generator data\), but whatever reads it as YAML \(a HelmRelease's valuesFrom\) fails$/);
  // The same text listed as a resource is parsed by kustomize: an error.
  const listed = { ...files(substituted), 'monitoring/kustomization.yaml': kustomization('resources:\n  - helm-values.yaml\n') };
  assert.deepEqual(check(repo(listed), 'yaml/syntax').map((x) => `${x.file} ${x.severity}`), ['monitoring/helm-values.yaml error']);
});

test('a cluster folder whose Flux Kustomizations are kept in subfolders without a kustomization.yaml of its own is one cluster, not one per subfolder', () => {
  const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-db\n  namespace: databases\n';
  const files = (withNamespace: boolean, sibling: boolean) => ({
    ...(sibling
      ? {
          'clusters/dev/config/cluster.yaml': fluxKs('cluster', './clusters/dev'),
          'clusters/dev/config/kustomization.yaml': kustomization('resources:\n  - cluster.yaml\n'),
          'clusters/dev/infra/kustomization.yaml': kustomization('resources:\n  - db.yaml\n'),
          'clusters/dev/infra/db.yaml': fluxKs('db', './platform/db'),
        }
      : {}),
    'clusters/prod/infra/kustomization.yaml': kustomization('resources:\n  - db.yaml\n'),
    'clusters/prod/infra/db.yaml': fluxKs('db', './platform/db'),
    'clusters/prod/apps/kustomization.yaml': kustomization('resources:\n  - web.yaml\n'),
    'clusters/prod/apps/web.yaml': fluxKs('web', './apps/web'),
    'platform/db/kustomization.yaml': kustomization(`resources:\n  - ${withNamespace ? 'namespace.yaml' : 'cm.yaml'}\n`),
    'platform/db/namespace.yaml': ns('databases'),
    'platform/db/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\n  namespace: databases\n',
    'apps/web/kustomization.yaml': kustomization('resources:\n  - cm.yaml\n'),
    'apps/web/cm.yaml': cm,
  });
  for (const sibling of [true, false]) {
    const model = repo(files(true, sibling));
    assert.deepEqual(model.graph.clusters.map((c) => `${c.name} ${c.folder}`), [...(sibling ? ['dev clusters/dev'] : []), 'prod clusters/prod'], String(sibling));
    assert.deepEqual(check(model, 'namespace/missing'), [], String(sibling));
  }
  // Nothing of the cluster declares the namespace: still missing.
  const missing = check(repo(files(false, true)), 'namespace/missing').filter((f) => f.file === 'apps/web/cm.yaml');
  assert.equal(missing.length, 1);
  assert.match(missing[0].message, /namespaces "databases" not found/);
});

test('a lone conventional layer name inside a layer folder (platform/databases) is part of that layer, not a layer below it', () => {
  const files = {
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/infra.yaml': fluxKs('infra', './kubernetes/infrastructure'),
    'clusters/prod/platform.yaml': fluxKs('platform', './kubernetes/platform'),
    'kubernetes/infrastructure/storage/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: storage\n  namespace: storage\n',
    'kubernetes/platform/longhorn/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: longhorn\n  namespace: longhorn\n',
    'kubernetes/platform/databases/postgres/release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: postgres
  namespace: databases
spec:
  interval: 1h
  dependsOn:
    - name: longhorn
      namespace: longhorn
  chart:
    spec:
      chart: postgres
      sourceRef:
        kind: HelmRepository
        name: charts
`,
    'kubernetes/platform/longhorn/release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: longhorn
  namespace: longhorn
spec:
  interval: 1h
  chart:
    spec:
      chart: longhorn
      sourceRef:
        kind: HelmRepository
        name: charts
`,
  };
  const model = repo(files);
  assert.deepEqual(model.layers.layers.map((l) => `${l.name} ${l.folders.join(',')}`), ['infrastructure kubernetes/infrastructure', 'platform kubernetes/platform']);
  // Its subfolders are still the components, of the layer around it.
  assert.deepEqual(model.layers.components.map((c) => `${c.layer} ${c.name}`).sort(), ['infrastructure storage', 'platform longhorn', 'platform postgres']);
  assert.deepEqual(check(model, 'layers/direction'), []);
  // Beside another layer folder of another order, it is a layer of its own: platform/{databases,apps}.
  const sideBySide = repo({ ...files, 'kubernetes/platform/apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: web\n' });
  assert.deepEqual(sideBySide.layers.layers.map((l) => l.name), ['infrastructure', 'databases', 'platform', 'apps']);
});

test('secrets/unencrypted: a redaction mark (XXXX, ****) where a value goes is a template to fill in, no secret in clear; a real value beside it is', () => {
  const secret = (data: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: git-credentials\n  namespace: flux-system\ntype: Opaque\ndata:\n${data}`;
  const marks = `  identity: XXXX\n  password: ${Buffer.from('xxxxxxxx').toString('base64')}\n  token: "****"\n`;
  assert.deepEqual(check(repo({ 'setup/secret.yaml': secret(marks) }), 'secrets/unencrypted'), []);
  const [f, ...rest] = check(repo({ 'setup/secret.yaml': secret(`${marks}  username: ${Buffer.from('deploy-bot').toString('base64')}\n`) }), 'secrets/unencrypted');
  assert.deepEqual(rest, []);
  assert.equal(at(f), '11:3-11:11');
  assert.equal(f.message, 'Secret git-credentials has a value in clear (data.username); encrypt the file with SOPS before pushing.');
});

test('flux/missing-depends-on: CRDs a bootstrap kustomization installs from remote bundles (named in their URLs) are there before Flux', () => {
  const files = {
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager') + '---\n' + fluxKs('issuers', './infra/issuers'),
    'infra/cert-manager/release.yaml': certManagerRelease,
    'infra/cert-manager/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cert-manager\n',
    'infra/issuers/issuer.yaml': 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt\n',
  };
  for (const url of [
    'https://github.com/cert-manager/cert-manager/releases/download/v1.16.0/cert-manager.crds.yaml',
    'https://raw.githubusercontent.com/example/operator/main/config/crd/bases/cert-manager.io_clusterissuers.yaml',
  ]) {
    const bootstrapped = repo({ ...files, 'bootstrap/crds/kustomization.yaml': kustomization(`resources:\n  - ${url}\n`) });
    assert.deepEqual(check(bootstrapped, 'flux/missing-depends-on'), [], url);
  }
  // A remote bundle that names no group it could install, or none at all: the dependsOn is missing.
  const extras: Record<string, string>[] = [
    { 'bootstrap/crds/kustomization.yaml': kustomization('resources:\n  - https://example.com/other/crds.yaml\n') },
    // A path that only starts with the chart's name, or a bundle in a dead folder.
    { 'bootstrap/crds/kustomization.yaml': kustomization('resources:\n  - https://example.com/deploy/crds/cert-manager.example.org_issuers.yaml\n') },
    { '.archive/crds/kustomization.yaml': kustomization('resources:\n  - https://github.com/cert-manager/cert-manager/releases/download/v1.16.0/cert-manager.crds.yaml\n') },
    {},
  ];
  for (const extra of extras) {
    const [f, ...rest] = check(repo({ ...files, ...extra }), 'flux/missing-depends-on');
    assert.deepEqual(rest, []);
    assert.equal(f.message, 'Kustomization issuers applies ClusterIssuer letsencrypt whose CRD (cert-manager.io) is installed by Kustomization cert-manager, but does not depend on it; on a fresh cluster the apply fails until cert-manager is ready. Add dependsOn: cert-manager.');
  }
});
