// The builds the model keeps (model/build/cache.ts): an index from each path a build read to the
// builds that read it decides what an edit rebuilds; builds nothing asks for any more are dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../../helpers/repo';
import { fluxBuild, keptBuilds } from '../../../../server/src/model/build/cache';
import type { RepoModel } from '../../../../server/src/model/model';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const initial: Record<string, string> = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('web', './apps/web') + '---\n' + fluxKs('db', './apps/db'),
  'apps/web/kustomization.yaml': 'resources:\n  - cm.yaml\n',
  'apps/web/cm.yaml': cm('web'),
  'apps/db/kustomization.yaml': 'resources:\n  - cm.yaml\n',
  'apps/db/cm.yaml': cm('db'),
};

/** Each Flux Kustomization's build, as comparable data. */
function builds(model: RepoModel) {
  return model.graph.fluxKustomizations.map((ks) => {
    const result = fluxBuild(model, ks);
    return { ks: ks.name, objects: result?.objects.map((o) => [o.kind, o.name, o.namespace]), error: result?.error?.message };
  });
}

function kustomization(model: RepoModel, name: string) {
  return model.graph.fluxKustomizations.find((k) => k.name === name)!;
}

test('an edit rebuilds the builds that read the edited file, and only those', () => {
  const model = repo(initial);
  const web = fluxBuild(model, kustomization(model, 'web'));
  const db = fluxBuild(model, kustomization(model, 'db'));
  model.setFile('apps/web/cm.yaml', cm('web') + 'data:\n  a: "1"\n');
  assert.notEqual(fluxBuild(model, kustomization(model, 'web')), web);
  assert.equal(fluxBuild(model, kustomization(model, 'db')), db);
});

test('a folder a build read the absence of, created by a file two levels below it, rebuilds the build', () => {
  const files: Record<string, string> = { ...initial, 'apps/web/kustomization.yaml': 'resources:\n  - cm.yaml\n  - sub\n' };
  const model = repo(files);
  assert.match(builds(model).find((b) => b.ks === 'web')!.error ?? '', /no such file or directory/);
  // `sub` appears with `sub/inner/`: the changed file's parent is sub/inner, not sub.
  model.setFile('apps/web/sub/inner/cm.yaml', cm('inner'));
  const fresh = repo({ ...files, 'apps/web/sub/inner/cm.yaml': cm('inner') });
  assert.deepEqual(builds(model), builds(fresh));
  assert.match(builds(model).find((b) => b.ks === 'web')!.error ?? '', /unable to find one of/);
  model.setFile('apps/web/sub/inner/cm.yaml', undefined);
  assert.deepEqual(builds(model), builds(repo(files)));
});

test('builds nothing asks for any more are dropped: structural edits do not accumulate them', () => {
  const model = repo(initial);
  builds(model);
  const start = keptBuilds(model);
  const apps = initial['clusters/prod/apps.yaml'];
  for (let i = 0; i < 30; i++) {
    model.setFile('clusters/prod/apps.yaml', apps.replace('./apps/web', i % 2 ? './apps/db' : `./apps/web/../web${'/.'.repeat(i)}`));
    builds(model);
  }
  model.setFile('clusters/prod/apps.yaml', apps);
  builds(model);
  const end = keptBuilds(model);
  // The live builds and at most one generation of replaced ones.
  assert.ok(end.builds <= 2 * start.builds, `${end.builds} builds kept after 30 edits, ${start.builds} at the start`);
  assert.ok(end.paths <= 2 * start.paths, `${end.paths} paths indexed after 30 edits, ${start.paths} at the start`);
});
