import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';
import { findCycles } from '../../../server/src/rules/flux-dependency-cycle';
import type { Dependent } from '../../../server/src/model/dependencies';

const base = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'apps/a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
  'apps/b/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
};
const dependsOn = (...names: string[]) => `  dependsOn:\n${names.map((n) => `    - name: ${n}\n`).join('')}`;

test('flux/unknown-dependency fires at the name of a dependsOn entry that names nothing, with a suggestion', () => {
  const model = repo({
    ...base,
    'clusters/prod/a.yaml': fluxKs('database', './apps/a'),
    'clusters/prod/b.yaml': fluxKs('app', './apps/b', dependsOn('databse')),
  });
  const findings = check(model, 'flux/unknown-dependency');
  assert.equal(findings.length, 1);
  assert.equal(findings[0].file, 'clusters/prod/b.yaml');
  assert.equal(at(findings[0]), '14:13-14:20');
  assert.equal(findings[0].message, 'Kustomization app depends on databse in namespace flux-system, but no Kustomization of that name exists in this repository; did you mean database?');
  // The did-you-mean is a quick fix (never unattended); applied, the finding goes.
  const [fix, ...others] = findings[0].fixes!;
  assert.deepEqual(others, []);
  assert.deepEqual([fix.title, fix.safe, fix.preferred], ['Change the dependency to database', false, true]);
  applyFix(model, fix);
  assert.match(model.file('clusters/prod/b.yaml')!.text, /dependsOn:\n    - name: database\n/);
  assert.deepEqual(check(model, 'flux/unknown-dependency'), []);
});

test('flux/unknown-dependency names the namespace when the target lives elsewhere', () => {
  const model = repo({
    ...base,
    'clusters/prod/a.yaml': fluxKs('database', './apps/a').replace('namespace: flux-system', 'namespace: data'),
    'clusters/prod/b.yaml': fluxKs('app', './apps/b', dependsOn('database')),
  });
  const [f] = check(model, 'flux/unknown-dependency');
  assert.equal(f.message, 'Kustomization app depends on flux-system/database, but database is in namespace data; set dependsOn namespace.');
  assert.deepEqual(f.fixes!.map((x) => x.title), ["Set the dependency's namespace to data"]);
  applyFix(model, f.fixes![0]);
  assert.match(model.file('clusters/prod/b.yaml')!.text, /dependsOn:\n    - name: database\n      namespace: data\n/);
  assert.deepEqual(check(model, 'flux/unknown-dependency'), []);
});

test('flux/unknown-dependency is quiet for existing targets, explicit namespaces and HelmReleases', () => {
  const model = repo({
    ...base,
    'clusters/prod/a.yaml': fluxKs('database', './apps/a').replace('namespace: flux-system', 'namespace: data'),
    'clusters/prod/b.yaml': fluxKs('app', './apps/b', '  dependsOn:\n    - name: database\n      namespace: data\n'),
    'apps/a/hr.yaml': yaml`
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: web
        namespace: web
      spec:
        dependsOn:
          - name: redis
            namespace: cache
      ---
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: redis
        namespace: cache
    `,
  });
  assert.deepEqual(check(model, 'flux/unknown-dependency'), []);
});

test('flux/unknown-dependency: a HelmRelease cannot depend on a Kustomization', () => {
  const model = repo({
    ...base,
    'clusters/prod/a.yaml': fluxKs('redis', './apps/a'),
    'apps/a/hr.yaml': yaml`
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: web
        namespace: flux-system
      spec:
        dependsOn:
          - name: redis
    `,
  });
  const [f] = check(model, 'flux/unknown-dependency');
  assert.equal(f.file, 'apps/a/hr.yaml');
  assert.equal(at(f), '8:13-8:18');
  assert.equal(f.message, 'HelmRelease web depends on redis in namespace flux-system, but no HelmRelease of that name exists in this repository.');
});

test('flux/dependency-cycle fires once per cycle, on its first member, and names it', () => {
  const model = repo({
    ...base,
    'clusters/prod/a.yaml': fluxKs('grafana', './apps/a', dependsOn('loki')),
    'clusters/prod/b.yaml': fluxKs('loki', './apps/b', dependsOn('grafana')),
  });
  const findings = check(model, 'flux/dependency-cycle');
  assert.deepEqual(findings.map((f) => [f.file, at(f), f.message]), [
    ['clusters/prod/a.yaml', '14:13-14:17', 'dependsOn cycle: grafana → loki → grafana; none of these Kustomizations will ever be applied.'],
  ]);
  assert.deepEqual(findings[0].related?.map((r) => [r.file, r.message]), [['clusters/prod/b.yaml', 'Kustomization loki is part of the cycle']]);
});

test('flux/dependency-cycle: a long cycle is one finding with its members capped in the message and the related locations', () => {
  const files: Record<string, string> = { ...base };
  const n = 30;
  const name = (i: number) => `k${String(i).padStart(2, '0')}`;
  for (let i = 0; i < n; i++) files[`clusters/prod/${name(i)}.yaml`] = fluxKs(name(i), './apps/a', dependsOn(name((i + 1) % n)));
  const findings = check(repo(files), 'flux/dependency-cycle');
  assert.deepEqual(findings.map((f) => [f.file, f.message]), [
    ['clusters/prod/k00.yaml', 'dependsOn cycle: k00 → k01 → k02 → k03 → k04 → k05 → k06 → k07 → … 22 more → k00; none of these 30 Kustomizations will ever be applied.'],
  ]);
  assert.equal(findings[0].related?.length, 20);
  assert.equal(findings[0].related?.[0].message, 'Kustomization k01 is part of the cycle');
});

test('flux/dependency-cycle: 100,000 objects in one cycle, and a chain of 100,000, do not overflow the stack', () => {
  const n = 100_000;
  const dependents: Dependent[] = [];
  const byKey = new Map<string, Dependent[]>();
  for (let i = 0; i < n; i++) {
    const d: Dependent = { resource: {} as Dependent['resource'], name: `k${i}`, namespace: 'ns', dependsOn: [{ name: `k${(i + 1) % n}`, namespace: 'ns', nodePath: [] }] };
    dependents.push(d);
    byKey.set(`ns/k${i}`, [d]);
  }
  const cycles = findCycles({ dependents, byKey, byName: new Map() });
  assert.equal(cycles.length, 1);
  assert.equal(cycles[0].length, n);
  assert.equal(new Set(cycles[0]).size, n);
  // Break the cycle: a chain, no cycle.
  dependents[n - 1].dependsOn = [];
  assert.deepEqual(findCycles({ dependents, byKey, byName: new Map() }), []);
});

test('flux/dependency-cycle: a self-dependency is a cycle; a chain is not', () => {
  const self = repo({ ...base, 'clusters/prod/a.yaml': fluxKs('a', './apps/a', dependsOn('a')) });
  assert.equal(check(self, 'flux/dependency-cycle')[0].message, 'dependsOn cycle: a → a; none of these Kustomizations will ever be applied.');
  const chain = repo({
    ...base,
    'clusters/prod/a.yaml': fluxKs('a', './apps/a', dependsOn('b')),
    'clusters/prod/b.yaml': fluxKs('b', './apps/b', dependsOn('c')),
    'clusters/prod/c.yaml': fluxKs('c', './apps/b'),
  });
  assert.deepEqual(check(chain, 'flux/dependency-cycle'), []);
});
