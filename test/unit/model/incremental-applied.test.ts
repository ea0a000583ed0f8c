// The queries behind what each cluster applies (model/applied.ts on model/build/cache.ts): the
// builds kept by what they read (files, whether a path exists, folder listings), a Flux
// Kustomization's spec, the renders with substitution variables (a family: new variables replace
// the old render), the kustomization files read once per version, each build's objects kept by
// identity, generator Resources, and the clusters patched in place. After any series of edits the
// incremental model's objects and findings must equal a fresh model's, and every object must come
// from the current version of its file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, FLUX_SYSTEM_SYNC, fluxKs, repo, webDeployment } from '../../helpers/repo';
import { clusterObjects, deltaOf } from '../../../server/src/model/applied';
import { keptBuilds } from '../../../server/src/model/build/cache';
import type { RepoModel } from '../../../server/src/model/model';
import { assertIncrementalEqualsFresh } from '../../helpers/incremental';

const SUBSTITUTE = '  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: vars\n';
const vars = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vars\n  namespace: flux-system\ndata:\n${data}`;
const deploy = (replicas: number, greeting: string) => webDeployment(replicas, `          env:\n            - name: GREETING\n              value: "${greeting}"\n`);
const base = (literal: string, more = '') => `resources:\n  - deploy.yaml\nconfigMapGenerator:\n  - name: settings\n    literals:\n      - ${literal}\n${more}`;
const overlay = (namespace: string, more = '') => `namespace: ${namespace}\nresources:\n  - ../base\n${more}`;

const initial: Record<string, string | null> = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps/prod', SUBSTITUTE),
  'clusters/prod/vars.yaml': vars('  GREETING: hello\n'),
  'clusters/staging/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('staging'),
  'clusters/staging/apps.yaml': fluxKs('apps', './apps/staging', SUBSTITUTE),
  'clusters/staging/vars.yaml': vars('  GREETING: hi\n'),
  'apps/base/kustomization.yaml': base('mode=a'),
  'apps/base/deploy.yaml': deploy(1, '${GREETING}'),
  'apps/prod/kustomization.yaml': overlay('prod'),
  'apps/staging/kustomization.yaml': overlay('staging', 'namePrefix: s-\n'),
};

const edits: Array<[string, string | null | undefined]> = [
  // A manifest every build reads, its substituted text, and its removal.
  ['apps/base/deploy.yaml', deploy(2, '${GREETING}')],
  ['apps/base/deploy.yaml', deploy(1, 'plain')],
  ['apps/base/deploy.yaml', undefined],
  ['apps/base/deploy.yaml', deploy(1, '${GREETING}')],
  // Generators: a literal, a second generator, a generator's namespace, a field kustomize refuses.
  ['apps/base/kustomization.yaml', base('mode=b')],
  ['apps/base/kustomization.yaml', base('mode=a', 'secretGenerator:\n  - name: creds\n    literals:\n      - token=x\n')],
  ['apps/base/kustomization.yaml', base('mode=a').replace('  - name: settings\n', '  - name: settings\n    namespace: elsewhere\n')],
  ['apps/base/kustomization.yaml', base('mode=a', 'resourcez:\n  - nothing.yaml\n')],
  ['apps/base/kustomization.yaml', base('mode=a')],
  // Substitution variables: their values and their source (a render family).
  ['clusters/prod/vars.yaml', vars('  GREETING: bonjour\n')],
  ['clusters/prod/vars.yaml', vars('  GREETING: hello\n')],
  ['clusters/staging/vars.yaml', undefined],
  ['clusters/staging/vars.yaml', vars('  GREETING: hi\n')],
  // An overlay: its namespace, a replicas entry, a folder it lists before it exists (a listing read).
  ['apps/prod/kustomization.yaml', overlay('production')],
  ['apps/prod/kustomization.yaml', overlay('prod', 'replicas:\n  - name: web\n    count: 3\n')],
  ['apps/prod/kustomization.yaml', overlay('prod', '  - extra\n')],
  ['apps/prod/kustomization.yaml', overlay('prod')],
  ['apps/prod/extra/more/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n'],
  ['apps/prod/extra/more/cm.yaml', undefined],
  ['apps/prod/extra/kustomization.yaml', 'resources:\n  - more/cm.yaml\n'],
  ['apps/prod/extra/kustomization.yaml', undefined],
  // A plain folder Flux generates a kustomization for: what it lists (a listing read).
  ['clusters/prod/team.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n'],
  ['clusters/prod/team.yaml', undefined],
  ['clusters/prod/sub/team.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: sub\n'],
  ['clusters/prod/sub/team.yaml', undefined],
  // Structural: a Kustomization's path and spec.
  ['clusters/prod/apps.yaml', fluxKs('apps', './apps/staging', SUBSTITUTE)],
  ['clusters/prod/apps.yaml', fluxKs('apps', './apps/prod', SUBSTITUTE + '  targetNamespace: moved\n')],
  ['clusters/prod/apps.yaml', fluxKs('apps', './apps/prod', SUBSTITUTE)],
];

/** Every cluster's objects as data, and the findings. */
function snapshot(model: RepoModel) {
  const clusters = clusterObjects(model).map((c) => ({
    cluster: c.cluster.name,
    unbuilt: [...c.unbuilt],
    objects: c.objects.map((o) => {
      // Nothing concluded from an object outlives the text it was read from.
      assert.equal(o.source, model.file(o.source.path), `${o.kind} ${o.name} comes from the current ${o.source.path}`);
      if (!o.generated) assert.ok(o.source.resources.includes(o.resource), `${o.kind} ${o.name}'s document is the current one`);
      return {
        id: `${o.apiVersion} ${o.kind} ${o.namespace}/${o.name}`,
        object: JSON.stringify(o.object),
        resource: { file: o.resource.file, index: o.resource.index, name: o.resource.name, namespace: o.resource.namespace, range: o.resource.range },
        setBy: o.namespaceSetBy,
        patched: o.patched,
        generated: o.generated?.name,
      };
    }),
  }));
  return { clusters, findings: check(model).map((f) => JSON.parse(JSON.stringify(f))) };
}

test("incremental cluster objects (builds, renders, generators, patched clusters) equal a fresh model's", () => {
  assertIncrementalEqualsFresh(initial, edits, snapshot, { numRuns: 50 });
});

test('the fixture exercises what the property is about (it is not vacuous)', () => {
  const model = repo(initial);
  const [prod, staging] = clusterObjects(model);
  const web = prod.objects.find((o) => o.kind === 'Deployment')!;
  assert.equal(web.namespace, 'prod');
  assert.match(JSON.stringify(web.object), /"hello"/, 'substituted from the cluster variables');
  assert.ok(prod.objects.some((o) => o.generated?.name === 'settings'), 'a generated ConfigMap');
  assert.ok(staging.objects.some((o) => o.generated?.name === 'settings' && o.name.startsWith('s-settings-')), "the generator renamed by the staging overlay's prefix");
  model.setFile('apps/base/kustomization.yaml', base('mode=a', 'resourcez:\n  - nothing.yaml\n'));
  assert.equal(clusterObjects(model)[0].unbuilt.length, 1, 'a refused kustomization is unbuilt');
});

test('an edit inside a manifest keeps every other object and patches the cluster in place', () => {
  const notes = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  a: "${value}"\n`;
  const model = repo({ ...initial, 'docs/notes.yaml': notes('1') });
  const before = clusterObjects(model);
  const generated = before[0].objects.find((o) => o.generated)!;
  model.setFile('apps/base/deploy.yaml', deploy(2, '${GREETING}'));
  const after = clusterObjects(model);
  assert.ok(after[0].objects.includes(generated), 'the generated ConfigMap keeps its identity');
  const delta = deltaOf(after[0]);
  assert.ok(delta && delta.previous === before[0], 'the cluster is patched from its previous result');
  assert.deepEqual(delta.replaced.map(([, o]) => o.kind), ['Deployment']);
  // Nothing any build read changed: the same answer.
  model.setFile('docs/notes.yaml', notes('2'));
  assert.equal(clusterObjects(model), after);
});

test('renders with replaced variables and builds of a replaced spec are not accumulated', () => {
  const model = repo(initial);
  snapshot(model);
  const start = keptBuilds(model);
  // Content edits of the variables' source: each render replaces the one before (no graph derived anew).
  for (let i = 0; i < 20; i++) {
    model.setFile('clusters/prod/vars.yaml', vars(`  GREETING: hello${i}\n`));
    clusterObjects(model);
  }
  const edited = keptBuilds(model);
  assert.ok(edited.builds <= start.builds + 1, `${edited.builds} builds kept after 20 edits of the variables, ${start.builds} at the start`);
  // Structural edits of the spec: builds no one asks for any more go when the graph is derived again.
  for (let i = 0; i < 20; i++) {
    model.setFile('clusters/prod/apps.yaml', fluxKs('apps', './apps/prod', SUBSTITUTE + `  targetNamespace: ns${i}\n`));
    clusterObjects(model);
  }
  const end = keptBuilds(model);
  assert.ok(end.builds <= 2 * start.builds, `${end.builds} builds kept after 20 edits of the spec, ${start.builds} at the start`);
});
