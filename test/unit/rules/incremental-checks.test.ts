// The engine reuses findings between checks (per file, per build, per namespace group): after any
// series of edits, an incrementally re-checked model must report exactly what a fresh one does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, FLUX_SYSTEM_SYNC, fluxKs, repo, webDeployment, yaml } from '../../helpers/repo';
import type { RepoModel } from '../../../server/src/model/model';
import { assertIncrementalEqualsFresh } from '../../helpers/incremental';

const deployment = (replicas: number, resources = '          resources:\n            requests:\n              cpu: 100m\n', header = '') => webDeployment(replicas, resources, header);

const quota = (cpu: string, extra = '') => yaml`
  apiVersion: v1
  kind: ResourceQuota
  metadata:
    name: budget
  spec:
    hard:
      pods: "20"
      requests.cpu: ${cpu}
` + extra;

const statefulSet = (resources: string) => yaml`
  apiVersion: apps/v1
  kind: StatefulSet
  metadata:
    name: db
  spec:
    replicas: 1
    selector:
      matchLabels:
        app: db
    template:
      spec:
        containers:
          - name: db
            image: postgres
` + resources;

const release = (target: string, replicas: number) => yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: cache
  spec:
    interval: 1h
    targetNamespace: ${target}
    chart:
      spec:
        chart: app-template
        sourceRef:
          kind: HelmRepository
          name: bjw-s
    values:
      controllers:
        cache:
          replicas: ${replicas}
          containers:
            app:
              image:
                repository: redis
`;

const policy = (selector: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: ${selector}\n  policyTypes: [Ingress]\n`;
const limitRange = (cpu: string) => `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n    - type: Container\n      defaultRequest:\n        cpu: ${cpu}\n`;

const initial: Record<string, string | null> = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './environments/apps'),
  'clusters/staging/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('staging'),
  'clusters/staging/apps.yaml': fluxKs('apps', './environments/apps', '  patches:\n    - target:\n        kind: Deployment\n        name: web\n      patch: |\n        - op: replace\n          path: /spec/replicas\n          value: 1\n'),
  'environments/apps/kustomization.yaml': 'resources:\n  - web\n  - db\n',
  'environments/apps/web/kustomization.yaml': 'namespace: web\nresources:\n  - ns.yaml\n  - deploy.yaml\n  - quota.yaml\n  - policy.yaml\n',
  'environments/apps/web/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
  'environments/apps/web/deploy.yaml': deployment(2),
  'environments/apps/web/quota.yaml': quota('"1"'),
  'environments/apps/web/policy.yaml': policy('{}'),
  'environments/apps/db/kustomization.yaml': 'namespace: db\nresources:\n  - ns.yaml\n  - sts.yaml\n  - cache.yaml\n  - limits.yaml\n',
  'environments/apps/db/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: db\n',
  'environments/apps/db/sts.yaml': statefulSet(''),
  'environments/apps/db/cache.yaml': release('db', 1),
  'environments/apps/db/limits.yaml': limitRange('50m'),
  'clusters/prod/plain.yaml': fluxKs('plain', './environments/plain', '  targetNamespace: plain\n'),
  'environments/plain/a.yaml': statefulSet(''),
};

/** Content edits (the derived graph stands) and a few structural ones. */
const edits: Array<[string, string | null | undefined]> = [
  ['environments/apps/web/deploy.yaml', deployment(5)],
  ['environments/apps/web/deploy.yaml', deployment(50)],
  ['environments/apps/web/deploy.yaml', deployment(2, '')],
  ['environments/apps/web/deploy.yaml', deployment(2, undefined, '# moved down a line\n\n')],
  ['environments/apps/web/deploy.yaml', deployment(2, '') + '# gitops-guardrails-disable-file resources/missing\n'],
  ['environments/apps/web/deploy.yaml', deployment(2, '')],
  ['environments/apps/db/sts.yaml', '# gitops-guardrails-disable-next-line\n' + statefulSet('')],
  ['environments/apps/web/deploy.yaml', deployment(2, '          resources:\n            requests:\n              cpu: "2"\n')],
  ['environments/apps/web/quota.yaml', quota('100m')],
  ['environments/apps/web/quota.yaml', quota('"1"', '    limits.cpu: "1"\n')],
  ['environments/apps/web/quota.yaml', undefined],
  ['environments/apps/web/policy.yaml', policy('{ matchLabels: { app: web } }')],
  ['environments/apps/web/policy.yaml', policy('{}')],
  ['environments/apps/db/sts.yaml', statefulSet('            resources:\n              requests:\n                cpu: 10m\n')],
  ['environments/apps/db/sts.yaml', '# header\n' + statefulSet('')],
  ['environments/apps/db/cache.yaml', release('db', 3)],
  ['environments/apps/db/cache.yaml', release('web', 1)],
  ['environments/apps/db/limits.yaml', limitRange('500m')],
  ['environments/apps/db/limits.yaml', 'a: "broken'],
  ['environments/apps/db/ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: db\n  labels:\n    team: data\n'],
  ['environments/apps/web/kustomization.yaml', 'namespace: web\nresources:\n  - ns.yaml\n  - deploy.yaml\n  - policy.yaml\n'],
  ['environments/apps/db/quota.yaml', quota('10m')],
  ['environments/apps/db/kustomization.yaml', 'namespace: db\nresources:\n  - ns.yaml\n  - sts.yaml\n  - cache.yaml\n  - limits.yaml\n  - quota.yaml\n'],
  // Structural edits that builds kept across graphs must notice: what a path is, a folder's files, a Kustomization's spec.
  ['environments/apps/web/kustomization.yaml', 'namespace: web\nresources:\n  - ns.yaml\n  - deploy.yaml\n  - quota.yaml\n  - policy.yaml\n  - extra.yaml\n'],
  ['environments/apps/web/extra.yaml', webDeployment(1).replace('name: web', 'name: extra')],
  ['environments/apps/web/extra.yaml', undefined],
  ['environments/plain/b.yaml', webDeployment(4).replace('name: web', 'name: b')],
  ['environments/plain/b.yaml', undefined],
  ['clusters/prod/plain.yaml', fluxKs('plain', './environments/plain', '  targetNamespace: other\n')],
  // A folder a kustomization lists, missing, then created (and deleted) by a file two levels below
  // it: the builds that read whether it exists are found through its descendants.
  ['environments/apps/db/kustomization.yaml', 'namespace: db\nresources:\n  - ns.yaml\n  - sts.yaml\n  - extra\n'],
  ['environments/apps/db/extra/inner/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inner\n'],
  ['environments/apps/db/extra/inner/cm.yaml', undefined],
  ['environments/apps/db/extra/kustomization.yaml', 'resources:\n  - inner/cm.yaml\n'],
  ['clusters/staging/apps.yaml', fluxKs('apps', './environments/apps')],
];

/** Everything a finding says, fixes included: reuse must not keep a stale range, message or edit. */
function snapshot(model: RepoModel) {
  return check(model).map((f) => JSON.parse(JSON.stringify(f)));
}

test('incremental re-checks report exactly what a fresh model does, after every edit', () => {
  assertIncrementalEqualsFresh(initial, edits, snapshot, { numRuns: 150, seed: 20261126 });
});

test('the fixture exercises the quota, resources and netpol rules (the property above is not vacuous)', () => {
  const model = repo(initial);
  const before = new Set(check(model).map((f) => f.rule));
  for (const rule of ['resources/missing', 'quota/missing']) assert.ok(before.has(rule), `${rule} fires on the initial repository`);
  model.setFile('environments/apps/web/deploy.yaml', deployment(50));
  const over = check(model).filter((f) => f.rule === 'quota/over-budget');
  assert.ok(over.length > 0, 'quota/over-budget fires after replicas 50');
  model.setFile('environments/apps/web/deploy.yaml', deployment(2, undefined, '# moved down a line\n\n'));
  assert.deepEqual(snapshot(model), snapshot(repo({ ...initial, 'environments/apps/web/deploy.yaml': deployment(2, undefined, '# moved down a line\n\n') })));
});
