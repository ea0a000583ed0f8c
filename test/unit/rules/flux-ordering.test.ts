import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, certManagerRelease, check, FLUX_SYSTEM_SYNC, fluxKs, problems, repo, yaml } from '../../helpers/repo';

const issuer = 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt\n';
const base = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'infra/cert-manager/release.yaml': certManagerRelease,
  'infra/cert-manager/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cert-manager\n',
};

test('flux/missing-depends-on fires on a Kustomization applying a CR whose CRD another one installs; the fix adds dependsOn', () => {
  const model = repo({
    ...base,
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager') + '---\n' + fluxKs('issuers', './infra/issuers'),
    'infra/issuers/issuer.yaml': issuer,
  });
  const [f, ...rest] = check(model, 'flux/missing-depends-on');
  assert.equal(rest.length, 0);
  assert.equal(f.file, 'clusters/prod/infra.yaml');
  assert.equal(at(f), '17:9-17:16');
  assert.equal(f.severity, 'warning');
  assert.equal(f.message, 'Kustomization issuers applies ClusterIssuer letsencrypt whose CRD (cert-manager.io) is installed by Kustomization cert-manager, but does not depend on it; on a fresh cluster the apply fails until cert-manager is ready. Add dependsOn: cert-manager.');
  assert.equal(f.fixes![0].safe, true);
  applyFix(model, f.fixes![0]);
  assert.match(model.file('clusters/prod/infra.yaml')!.text, /name: flux-system\n  dependsOn:\n    - name: cert-manager\n$/);
  assert.deepEqual(problems(model), []);
});

test('flux/missing-depends-on: Kustomizations that apply one shared template and miss one installer are one finding; its fix adds dependsOn to each', () => {
  const model = repo({
    ...base,
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager'),
    'clusters/prod/apps.yaml': ['alpha', 'beta', 'gamma', 'delta'].map((n) => fluxKs(n, './templates/issuer')).join('---\n'),
    'templates/issuer/issuer.yaml': issuer,
  });
  const [f, ...rest] = check(model, 'flux/missing-depends-on');
  assert.equal(rest.length, 0);
  assert.equal(f.file, 'clusters/prod/apps.yaml');
  assert.equal(at(f), '4:9-4:14');
  assert.equal(
    f.message,
    '4 Kustomizations (alpha, beta, gamma and 1 more) apply ClusterIssuer letsencrypt of templates/issuer/issuer.yaml, whose CRD (cert-manager.io) is installed by Kustomization cert-manager, but none depends on it; on a fresh cluster their apply fails until cert-manager is ready. Add dependsOn: cert-manager to each.',
  );
  assert.deepEqual(
    f.related!.slice(2).map((r) => `${r.file}:${r.range.start.line + 1} ${r.message}`),
    ['beta', 'gamma', 'delta'].map((n, i) => `clusters/prod/apps.yaml:${4 + 13 * (i + 1)} Kustomization ${n} applies it too, without dependsOn: cert-manager`),
  );
  assert.equal(f.fixes![0].title, 'Add dependsOn cert-manager to the 4 Kustomizations');
  assert.equal(f.fixes![0].changes.length, 1);
  applyFix(model, f.fixes![0]);
  assert.equal(model.file('clusters/prod/apps.yaml')!.text.match(/  dependsOn:\n    - name: cert-manager\n/g)?.length, 4);
  assert.deepEqual(check(model, 'flux/missing-depends-on'), []);
  // Two apply it: still one cause, named in full.
  const two = repo({
    ...base,
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager'),
    'clusters/prod/apps.yaml': fluxKs('alpha', './templates/issuer') + '---\n' + fluxKs('beta', './templates/issuer', '  dependsOn:\n    - name: cert-manager\n'),
    'clusters/prod/more.yaml': fluxKs('gamma', './templates/issuer'),
    'templates/issuer/issuer.yaml': issuer,
  });
  const [g, ...others] = check(two, 'flux/missing-depends-on');
  assert.equal(others.length, 0);
  assert.match(g.message, /^2 Kustomizations \(alpha and gamma\) apply ClusterIssuer letsencrypt/);
  assert.equal(g.fixes![0].changes.length, 2);
  applyFix(two, g.fixes![0]);
  assert.deepEqual(check(two, 'flux/missing-depends-on'), []);
});

test('flux/missing-depends-on: the fix appends to an existing dependsOn and names another namespace', () => {
  const model = repo({
    ...base,
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager').replace('namespace: flux-system', 'namespace: infra') + '---\n' + fluxKs('issuers', './infra/issuers', '  dependsOn:\n    - name: cert-manager-crds\n'),
    'clusters/prod/crds.yaml': fluxKs('cert-manager-crds', './infra/none'),
    'infra/none/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    'infra/issuers/issuer.yaml': issuer,
  });
  const [f] = check(model, 'flux/missing-depends-on');
  assert.equal(at(f), '26:3-26:12');
  applyFix(model, f.fixes![0]);
  assert.match(model.file('clusters/prod/infra.yaml')!.text, /  dependsOn:\n    - name: cert-manager-crds\n    - name: cert-manager\n      namespace: infra\n$/);
  assert.deepEqual(check(model, 'flux/missing-depends-on'), []);
});

test('flux/missing-depends-on is quiet with a transitive dependsOn, a bootstrapped CRD, a CRD manifest and Flux kinds', () => {
  const transitive = repo({
    ...base,
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager') + '---\n' + fluxKs('mid', './infra/none', '  dependsOn:\n    - name: cert-manager\n') + '---\n' + fluxKs('issuers', './infra/issuers', '  dependsOn:\n    - name: mid\n'),
    'infra/none/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    'infra/issuers/issuer.yaml': issuer,
  });
  assert.deepEqual(check(transitive, 'flux/missing-depends-on'), []);
  const bootstrapped = repo({
    ...base,
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager') + '---\n' + fluxKs('issuers', './infra/issuers'),
    'infra/issuers/issuer.yaml': issuer,
    'bootstrap/helmfile/crds.yaml': 'releases:\n  - name: cert-manager\n    namespace: cert-manager\n',
  });
  assert.deepEqual(check(bootstrapped, 'flux/missing-depends-on'), []);
  const sameManifest = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/app.yaml': fluxKs('app', './app'),
    'app/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names:\n    kind: Widget\n    plural: widgets\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          x-kubernetes-preserve-unknown-fields: true\n',
    'app/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n',
    'app/hr.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: flux-system\n',
  });
  assert.deepEqual(problems(sameManifest), []);
});

test('flux/crd-in-same-kustomization fires on a CR applied with the HelmRelease that installs its CRD', () => {
  const model = repo({
    ...base,
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager'),
    'infra/cert-manager/issuer.yaml': issuer,
  });
  const [f, ...rest] = check(model, 'flux/crd-in-same-kustomization');
  assert.equal(rest.length, 0);
  assert.equal(f.file, 'infra/cert-manager/issuer.yaml');
  assert.equal(at(f), '2:7-2:20');
  assert.equal(f.severity, 'error');
  assert.equal(f.message, 'ClusterIssuer letsencrypt is applied by Kustomization cert-manager together with HelmRelease cert-manager, which installs its CRD (cert-manager.io); on a fresh cluster the dry-run fails and nothing of cert-manager is applied. Move it to a Kustomization that dependsOn cert-manager.');
  assert.equal(f.related![0].file, 'infra/cert-manager/release.yaml');
  assert.deepEqual(check(model, 'flux/missing-depends-on'), []);
});

test('flux/crd-in-same-kustomization is quiet when the CRDs are bootstrapped or the CR lives in a dependent Kustomization', () => {
  const moved = repo({
    ...base,
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager') + '---\n' + fluxKs('issuers', './infra/issuers', '  dependsOn:\n    - name: cert-manager\n'),
    'infra/issuers/issuer.yaml': issuer,
  });
  assert.deepEqual(problems(moved), []);
  const bootstrapped = repo({
    ...base,
    'clusters/prod/infra.yaml': fluxKs('cert-manager', './infra/cert-manager'),
    'infra/cert-manager/issuer.yaml': issuer,
    'talos/cilium/kustomization.yaml': 'helmCharts:\n  - name: cert-manager\n    repo: https://charts.jetstack.io\n',
  });
  assert.deepEqual(check(bootstrapped, 'flux/crd-in-same-kustomization'), []);
});

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
    version: 3.9.0
`;

test('flux/missing-decryption fires on a Kustomization applying SOPS files without decryption; the fix adds it', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/a.yaml': fluxKs('a', './a', '  decryption:\n    provider: sops\n    secretRef:\n      name: sops-keys\n'),
    'clusters/prod/b.yaml': fluxKs('b', './b'),
    'a/secret.sops.yaml': encrypted,
    'b/secret.sops.yaml': encrypted,
  });
  const [f, ...rest] = check(model, 'flux/missing-decryption');
  assert.equal(rest.length, 0);
  assert.equal(f.file, 'clusters/prod/b.yaml');
  assert.equal(at(f), '4:9-4:10');
  assert.equal(f.message, 'Kustomization b applies a SOPS-encrypted file (b/secret.sops.yaml) but has no spec.decryption with provider sops; it would reach the cluster encrypted.');
  assert.equal(f.fixes![0].title, 'Add decryption with provider sops (secret sops-keys)');
  applyFix(model, f.fixes![0]);
  assert.match(model.file('clusters/prod/b.yaml')!.text, /    name: flux-system\n  decryption:\n    provider: sops\n    secretRef:\n      name: sops-keys\n$/);
  assert.deepEqual(check(model, 'flux/missing-decryption'), []);
});

test('flux/missing-decryption is quiet when the parent patches decryption into its children', () => {
  const parentPatch = '  patches:\n    - patch: |-\n        apiVersion: kustomize.toolkit.fluxcd.io/v1\n        kind: Kustomization\n        metadata:\n          name: _\n        spec:\n          decryption:\n            provider: sops\n      target:\n        kind: Kustomization\n';
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps', parentPatch),
    'apps/b.yaml': fluxKs('b', './b'),
    'b/secret.sops.yaml': encrypted,
  });
  assert.deepEqual(check(model, 'flux/missing-decryption'), []);
});

test('flux/invalid-substitution: malformed expressions are errors, unknown variables warnings, defaults and escapes fine', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps', '  postBuild:\n    substitute:\n      CLUSTER: prod\n    substituteFrom:\n      - kind: ConfigMap\n        name: settings\n'),
    'clusters/prod/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: flux-system\ndata:\n  DOMAIN: example.com\n',
    'apps/cm.yaml': yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: app
      data:
        # \${IGNORED} in a comment is not substituted
        host: web.\${CLUSTER}.\${DOMAIN}
        region: \${REGION}
        zone: \${ZONE:=a}
        literal: $\${NOT_A_VAR}
        broken: \${cluster.name}
        empty: x\${}
    `,
  });
  const findings = check(model, 'flux/invalid-substitution');
  assert.deepEqual(findings.map((f) => [at(f), f.severity, f.message]), [
    ['8:11-8:20', 'warning', '${REGION} is not provided by Kustomization apps (postBuild.substitute, ConfigMap settings) and has no default: Flux replaces it with an empty string.'],
    ['11:11-11:26', 'error', '${cluster.name} is not a valid Flux substitution ("." cannot follow a variable name); the build of Kustomization apps fails. Use ${NAME}, ${NAME:=default}, or $${...} for a literal.'],
    ['12:11-12:14', 'error', '${} is not a valid Flux substitution (the name is empty); the build of Kustomization apps fails. Use ${NAME}, ${NAME:=default}, or $${...} for a literal.'],
  ]);
});

test('flux/invalid-substitution is quiet without postBuild, with unknown substituteFrom sources and with substitution disabled', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/plain.yaml': fluxKs('plain', './plain'),
    'clusters/prod/external.yaml': fluxKs('external', './external', '  postBuild:\n    substituteFrom:\n      - kind: Secret\n        name: made-by-bootstrap\n'),
    'clusters/prod/off.yaml': fluxKs('off', './off', '  postBuild:\n    substitute:\n      A: b\n'),
    'plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\ndata:\n  a: ${UNKNOWN}\n',
    'external/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e\ndata:\n  a: ${UNKNOWN}\n',
    'off/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: o\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  a: ${cluster.name}\n',
  });
  assert.deepEqual(check(model, 'flux/invalid-substitution'), []);
});
