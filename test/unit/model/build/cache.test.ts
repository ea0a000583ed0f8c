// The builds the model keeps (model/build/cache.ts): an index from each path a build read to the
// builds that read it decides what an edit rebuilds; builds nothing asks for any more are dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../../helpers/repo';
import { fluxBuild, keptBuilds } from '../../../../server/src/model/build/cache';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RepoModel } from '../../../../server/src/model/model';
import { RULE_IDS } from '../../../../server/src/rules';

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

test('a generator input that is not YAML, changed on disk and read again, rebuilds the builds that read it', () => {
  const root = mkdtempSync(join(tmpdir(), 'gg-cache-'));
  try {
    const files: Record<string, string> = {
      'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
      'clusters/prod/apps.yaml': fluxKs('web', './apps/web'),
      'apps/web/kustomization.yaml': 'configMapGenerator:\n  - name: settings\n    files:\n      - app.properties\n',
    };
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    for (const [path, text] of Object.entries(files)) write(path, text);
    write('apps/web/app.properties', 'mode=a\n');
    const model = new RepoModel(root, RULE_IDS);
    for (const [path, text] of Object.entries(files)) model.setFile(path, text);
    model.setFile('apps/web/app.properties', null);
    const name = () => fluxBuild(model, kustomization(model, 'web'))!.objects.map((o) => o.name);
    const before = name();
    assert.equal(before.length, 1);
    // What the language server does after a watcher's event: the file is read again.
    write('apps/web/app.properties', 'mode=b\n');
    model.setFile('apps/web/app.properties', null);
    const after = name();
    assert.notDeepEqual(after, before);
    const fresh = new RepoModel(root, RULE_IDS);
    for (const [path, text] of Object.entries(files)) fresh.setFile(path, text);
    fresh.setFile('apps/web/app.properties', null);
    assert.deepEqual(after, fluxBuild(fresh, kustomization(fresh, 'web'))!.objects.map((o) => o.name));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
