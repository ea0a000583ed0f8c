// One answer to "where does this object land": the render engine's, per cluster. Where the build
// cannot say (kustomize refuses the folder), the answer is unknown with the reason, never the
// namespace written in the file; where two clusters put an object in different namespaces, readers
// answer per cluster or show both, never the first cluster's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completion } from '../../../server/src/features/completion';
import { documentSymbols, workspaceSymbols } from '../../../server/src/features/symbols';
import { ownerNamespace } from '../../../server/src/features/crossReferences';
import { clusters } from '../../../server/src/features/tree';
import { check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';

const cm = (name: string, ns?: string, data = '  key: value\n') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}data:\n${data}`;

/** A folder kustomize refuses (the same ConfigMap twice), whose `namespace:` would move `web`. */
const refused = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
  'apps/kustomization.yaml': 'namespace: shop\nresources:\n  - web.yaml\n  - a.yaml\n  - b.yaml\n',
  'apps/web.yaml': cm('web', 'written'),
  'apps/a.yaml': cm('same'),
  'apps/b.yaml': cm('same'),
};

test('a document of a folder kustomize refuses: its namespace is unknown, with the reason, not the one its file writes', () => {
  const model = repo(refused);
  const web = model.file('apps/web.yaml')!.resources[0];
  // Before: 'written' (the file's), though kustomize's `namespace: shop` would have moved it.
  assert.equal(model.namespaceOf(web), undefined);
  assert.equal(model.namespaceOf(web, 'prod'), undefined);
  const [placement] = model.placementsOf(web);
  assert.deepEqual(placement.clusters, ['prod']);
  assert.equal(placement.namespace, undefined);
  assert.match(placement.unknown!, /^kustomize refuses Kustomization flux-system\/apps: .*same/);
  // Readers say nothing: no symbol container, no namespace for cross references.
  assert.equal(workspaceSymbols(model, 'web')[0].containerName, undefined);
  assert.equal(documentSymbols(model, 'apps/web.yaml')[0].detail, undefined);
  assert.equal(ownerNamespace(model, web), undefined);
  // Once kustomize builds it, the build's answer.
  const fixed = repo({ ...refused, 'apps/kustomization.yaml': 'namespace: shop\nresources:\n  - web.yaml\n  - a.yaml\n' });
  assert.equal(fixed.namespaceOf(fixed.file('apps/web.yaml')!.resources[0]), 'shop');
  assert.equal(workspaceSymbols(fixed, 'web')[0].containerName, 'shop');
});

test('completion in a document whose namespace is unknown does not filter by the namespace its file writes', () => {
  const model = repo({
    ...refused,
    'apps/web.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  namespace: written',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: app',
      '          envFrom:',
      '            - configMapRef:',
      '                name: ',
      '',
    ].join('\n'),
    'other/settings.yaml': cm('settings', 'shop'),
  });
  const labels = completion(model, 'apps/web.yaml', { line: 12, character: 22 }).map((i) => i.label);
  // `settings` lives in shop, where kustomize's namespace would put the Deployment: offered.
  // Before, the Deployment was taken to be in `written`, and settings was left out.
  assert.ok(labels.includes('settings'), labels.join(','));
});

/** One folder applied by two clusters, each with its own targetNamespace. */
const twoClusters = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps', '  targetNamespace: prod-apps\n'),
  'clusters/staging/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('staging'),
  'clusters/staging/apps.yaml': fluxKs('apps', './apps', '  targetNamespace: staging-apps\n'),
  'apps/cm.yaml': cm('web'),
};

test('an object two clusters put in different namespaces: answered per cluster, both shown, no first-cluster answer', () => {
  const model = repo(twoClusters);
  const web = model.file('apps/cm.yaml')!.resources[0];
  assert.equal(model.namespaceOf(web, 'prod'), 'prod-apps');
  assert.equal(model.namespaceOf(web, 'staging'), 'staging-apps');
  assert.equal(model.namespaceOf(web, ['prod']), 'prod-apps');
  // Without a cluster: no single answer (before: the first cluster's, prod-apps).
  assert.equal(model.namespaceOf(web), undefined);
  assert.deepEqual(
    model.placementsOf(web).map((p) => `${p.clusters.join('+')}: ${p.namespace}`).sort(),
    ['prod: prod-apps', 'staging: staging-apps'],
  );
  assert.equal(workspaceSymbols(model, 'web')[0].containerName, 'prod-apps, staging-apps');
  assert.equal(documentSymbols(model, 'apps/cm.yaml')[0].detail, 'prod-apps, staging-apps');
  assert.equal(ownerNamespace(model, web), undefined);
});

test('a document no cluster applies keeps its own namespace, whatever clusters are asked about', () => {
  const model = repo({ ...twoClusters, 'dead/cm.yaml': cm('dead', 'own') });
  const dead = model.file('dead/cm.yaml')!.resources[0];
  assert.equal(model.namespaceOf(dead), 'own');
  assert.equal(model.namespaceOf(dead, 'prod'), 'own');
  assert.deepEqual(model.placementsOf(dead), [{ namespace: 'own', clusters: [] }]);
});

test("flux/invalid-substitution reads the substituteFrom ConfigMap of the Kustomization's cluster and namespace", () => {
  const files = {
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/vars.yaml': fluxKs('vars', './vars'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps', '  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: vars\n'),
    'vars/kustomization.yaml': 'namespace: flux-system\nresources:\n  - vars.yaml\n',
    'vars/vars.yaml': cm('vars', 'written', '  DOMAIN: example.org\n'),
    'apps/cm.yaml': cm('web', undefined, '  host: ${DOMAIN}\n  other: ${MISSING}\n'),
  };
  const found = (model: ReturnType<typeof repo>) => check(model, 'flux/invalid-substitution').map((f) => f.message);
  // The build puts vars in flux-system: read, and ${MISSING} is reported.
  assert.equal(found(repo(files)).filter((m) => m.includes('MISSING')).length, 1);
  assert.equal(found(repo(files)).filter((m) => m.includes('DOMAIN')).length, 0);
  // Refused (the same ConfigMap twice): where vars lands is unknown (that its file says
  // flux-system is no answer), so which object is read is unknown: nothing is claimed missing.
  const unknown = repo({ ...files, 'vars/vars.yaml': cm('vars', 'flux-system', '  DOMAIN: example.org\n'), 'vars/kustomization.yaml': 'namespace: flux-system\nresources:\n  - vars.yaml\n  - a.yaml\n  - b.yaml\n', 'vars/a.yaml': cm('same'), 'vars/b.yaml': cm('same') });
  assert.deepEqual(found(unknown), []);
});

test('the Clusters view shows each Kustomization in the namespace it lands in in that cluster', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/infra.yaml': fluxKs('infra', './infra', '  targetNamespace: prod-infra\n'),
    'clusters/staging/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('staging'),
    'clusters/staging/infra.yaml': fluxKs('infra', './infra', '  targetNamespace: staging-infra\n'),
    'infra/apps.yaml': fluxKs('apps', './apps'),
    'apps/cm.yaml': cm('web'),
  });
  const shown = clusters(model, () => [])
    .map((c) => `${c.name}: ${c.kustomizations.map((k) => `${k.namespace}/${k.name}`).join(' ')}`)
    .sort();
  // Before: prod-infra/apps in both clusters (the first cluster's answer).
  assert.deepEqual(shown, ['prod: flux-system/flux-system flux-system/infra prod-infra/apps', 'staging: flux-system/flux-system flux-system/infra staging-infra/apps']);
});

test("a Flux Kustomization two clusters put in different namespaces has no one namespace: unknown, not the first cluster's", () => {
  const twoClusters = (a: string, b: string) =>
    repo({
      'clusters/a/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('a'),
      'clusters/a/kustomization.yaml': `namespace: ${a}\nresources:\n  - ../../shared\n`,
      'clusters/b/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('b'),
      'clusters/b/kustomization.yaml': `namespace: ${b}\nresources:\n  - ../../shared\n`,
      'shared/kustomization.yaml': 'resources:\n  - web.yaml\n',
      'shared/web.yaml': fluxKs('web', './apps/web'),
      'apps/web/cm.yaml': cm('web'),
    });
  const web = (model: ReturnType<typeof repo>) => model.graph.fluxKustomizations.find((k) => k.name === 'web')!;
  const disagree = twoClusters('team-a', 'team-b');
  assert.deepEqual(disagree.graph.clusters.map((c) => c.name), ['a', 'b']);
  // Each cluster's own answer stays per cluster.
  assert.deepEqual([...disagree.graph.appliedNamespaces.get(web(disagree).resource)!].map(([c, p]) => [c, p.namespace]), [['a', 'team-a'], ['b', 'team-b']]);
  assert.equal(web(disagree).namespace, '');
  const agree = twoClusters('team-a', 'team-a');
  assert.equal(web(agree).namespace, 'team-a');
});
