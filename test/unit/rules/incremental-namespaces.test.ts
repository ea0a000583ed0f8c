// The namespace rules (quota, netpol, namespace, resources) keep each group's, budget's and
// namespace's values across a rebuilt graph (model/namespaceBudgets.ts on model.queries.keyed):
// after any series of structural edits that leave the objects as they were but move what the
// findings point into (a kustomization.yaml gains a line, a folder gains a kustomization or a file
// of the name a fix would create), an incrementally re-checked model must report exactly what a
// fresh one does. A value that forgot a file it read keeps a stale range or fix, and fails here.
// schema/invalid keeps a file's result across a rebuilt graph while the graph says the same of the
// file: a Kustomization's patches (from above) are among the edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, FLUX_SYSTEM_SYNC, fluxKs, repo, webDeployment } from '../../helpers/repo';
import type { RepoModel } from '../../../server/src/model/model';
import { assertIncrementalEqualsFresh } from '../../helpers/incremental';

const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const web = (name: string) => webDeployment(1, '').replace(/name: web/g, `name: ${name}`);
const webKustomization = (header = '', extra = '') => `${header}namespace: web\nresources:\n  - deploy.yaml\n${extra}`;
const dbKustomization = (header = '', extra = '') => `${header}namespace: db\nresources:\n  - deploy.yaml\n  - worker.yaml\n${extra}`;
const PATCHES = '  patches:\n    - target:\n        kind: Deployment\n      patch: |\n        - op: add\n          path: /metadata/labels\n          value: {}\n';
const appsKustomization = (header = '', extra = '') => `${header}resources:\n  - web\n  - db\n${extra}`;
const DEPENDS_ON = '  dependsOn:\n    - name: plain\n';

const initial: Record<string, string | null> = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './environments/apps'),
  'clusters/prod/plain.yaml': fluxKs('plain', './environments/plain', '  targetNamespace: plain\n'),
  'clusters/staging/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('staging'),
  'clusters/staging/apps.yaml': fluxKs('apps', './environments/apps'),
  // The component of Kustomization apps: quota/missing, netpol and namespace/missing anchor here, their fixes append here.
  'environments/apps/kustomization.yaml': appsKustomization(),
  'environments/apps/web/kustomization.yaml': webKustomization(),
  'environments/apps/web/deploy.yaml': web('web'),
  // No Namespace objects: namespace/missing fires.
  'environments/apps/db/kustomization.yaml': dbKustomization(),
  'environments/apps/db/deploy.yaml': web('db'),
  // A Deployment without its required selector: schema/invalid says so unless a patch from above may add it.
  'environments/apps/db/worker.yaml': web('worker').replace('  selector:\n    matchLabels:\n      app: web\n', ''),
  // A plain folder (no kustomization): quota/missing and netpol anchor at its first manifest.
  'environments/plain/a.yaml': web('a'),
};

/** Edits that rebuild the graph and keep the objects (and so every group), and a few that do not. */
const edits: Array<[string, string | null | undefined]> = [
  // The finding's range and the fix's insertion point move; the objects stay.
  ['environments/apps/kustomization.yaml', appsKustomization('# the apps\n\n')],
  ['environments/apps/kustomization.yaml', appsKustomization('', '# more to come\n')],
  ['environments/apps/kustomization.yaml', appsKustomization()],
  ['environments/apps/web/kustomization.yaml', webKustomization('# the web component\n\n')],
  ['environments/apps/web/kustomization.yaml', webKustomization('', '# more to come\n')],
  ['environments/apps/web/kustomization.yaml', webKustomization()],
  ['environments/apps/db/kustomization.yaml', dbKustomization('# data\n')],
  ['environments/apps/db/kustomization.yaml', dbKustomization()],
  // A kustomization appears in the plain folder: the anchor moves to it, the fix appends to it.
  ['environments/plain/kustomization.yaml', 'resources:\n  - a.yaml\n'],
  ['environments/plain/kustomization.yaml', '# plain\nresources:\n  - a.yaml\n'],
  ['environments/plain/kustomization.yaml', undefined],
  // A file of the name a fix would create (no object in it): the fix picks another name.
  ['environments/apps/resourcequota.yaml', '# reserved\n'],
  ['environments/apps/resourcequota.yaml', undefined],
  ['environments/apps/networkpolicy.yaml', '# reserved\n'],
  ['environments/apps/networkpolicy.yaml', undefined],
  ['environments/apps/namespace.yaml', '# reserved\n'],
  ['environments/apps/namespace.yaml', undefined],
  ['environments/plain/resourcequota.yaml', '# reserved\n'],
  ['environments/plain/resourcequota.yaml', undefined],
  // Structural edits of the Flux Kustomizations: spec.path, dependsOn, a cluster's second one.
  ['clusters/prod/apps.yaml', fluxKs('apps', './environments/apps/')],
  ['clusters/prod/apps.yaml', fluxKs('apps', './environments/apps')],
  ['clusters/staging/apps.yaml', fluxKs('apps', './environments/apps', DEPENDS_ON)],
  ['clusters/staging/apps.yaml', fluxKs('apps', './environments/apps')],
  ['clusters/staging/plain.yaml', fluxKs('plain', './environments/plain', '  targetNamespace: plain\n')],
  ['clusters/staging/plain.yaml', undefined],
  // What the graph says of an unchanged file: a patch from above may fill in required fields.
  ['clusters/prod/apps.yaml', fluxKs('apps', './environments/apps', PATCHES)],
  ['clusters/staging/apps.yaml', fluxKs('apps', './environments/apps', PATCHES)],
  // Edits that change the objects: a Namespace is declared (listed, then renamed), another one.
  ['environments/apps/web/ns.yaml', namespace('web')],
  ['environments/apps/web/kustomization.yaml', webKustomization('', '  - ns.yaml\n')],
  ['environments/apps/web/ns.yaml', namespace('web-renamed')],
  ['environments/apps/db/ns.yaml', namespace('db')],
  ['environments/apps/db/kustomization.yaml', dbKustomization('', '  - ns.yaml\n')],
];

/** Everything a finding says, fixes included. */
function snapshot(model: RepoModel) {
  return check(model).map((f) => JSON.parse(JSON.stringify(f)));
}

test('namespace rules re-checked after structural edits report exactly what a fresh model does', () => {
  assertIncrementalEqualsFresh(initial, edits, snapshot, { numRuns: 120, seed: 20261202, maxEdits: 8, maxBetween: 2 });
});

test('the fixture exercises what the property above needs (it is not vacuous)', () => {
  const model = repo(initial);
  const findings = check(model);
  const of = (rule: string) => findings.filter((f) => f.rule === rule);
  // quota/missing and netpol anchor in the component's kustomization.yaml (once per namespace) and at plain's first manifest, with fixes.
  for (const rule of ['quota/missing', 'netpol/missing-default-deny']) {
    assert.deepEqual(of(rule).map((f) => f.file).sort(), ['environments/apps/kustomization.yaml', 'environments/apps/kustomization.yaml', 'environments/plain/a.yaml'], rule);
    assert.ok(of(rule).some((f) => f.fixes?.some((fix) => fix.changes.some((c) => c.kind === 'edit' && c.file === 'environments/apps/kustomization.yaml'))), `${rule}: a fix edits the component's kustomization.yaml`);
  }
  assert.ok(of('namespace/missing').some((f) => f.fixes?.some((fix) => fix.changes.some((c) => c.kind === 'edit' && c.file === 'environments/apps/kustomization.yaml'))), "namespace/missing: a fix edits the component's kustomization.yaml");
  assert.ok(of('schema/invalid').some((f) => f.file === 'environments/apps/db/worker.yaml'), 'schema/invalid fires on the worker without a selector');
  const patched = repo({ ...initial, 'clusters/prod/apps.yaml': fluxKs('apps', './environments/apps', PATCHES), 'clusters/staging/apps.yaml': fluxKs('apps', './environments/apps', PATCHES) });
  assert.ok(!check(patched).some((f) => f.rule === 'schema/invalid' && f.file === 'environments/apps/db/worker.yaml'), 'not when a patch from above may add the selector');
  // A header line moves the findings in the component's kustomization.yaml while the objects stay the same.
  const anchored = (findings: ReturnType<typeof check>) => findings.filter((f) => f.rule === 'quota/missing' && f.file === 'environments/apps/kustomization.yaml');
  model.setFile('environments/apps/kustomization.yaml', appsKustomization('# the apps\n\n'));
  const moved = anchored(check(model));
  assert.equal(moved.length, 2);
  assert.equal(moved[0].range.start.line, anchored(findings)[0].range.start.line + 2);
  // A file where the fix would create one: the fix names another file.
  model.setFile('environments/apps/resourcequota.yaml', '# reserved\n');
  const created = anchored(check(model))[0].fixes!.flatMap((fix) => fix.changes).filter((c) => c.kind === 'create').map((c) => c.file);
  assert.ok(created.length > 0 && !created.includes('environments/apps/resourcequota.yaml'), `the fix creates ${created.join(', ')}`);
});
