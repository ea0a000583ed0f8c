// A build kustomize refuses applies nothing, but the files it is made of still belong to it: the
// render engine goes on past the first refusal to record its reach (build/engine.ts), and the
// model takes what each cluster reaches from there (graph.ts), not from a walk of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKustomization, renderFluxKustomization } from '../../../server/src/model/build';
import { fluxBuild } from '../../../server/src/model/build/cache';
import { memoryInput } from './build/memoryInput';
import { check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

test('a refused build still reports, by role, every file it reaches after the failing entry; its error stays the first one', () => {
  const result = buildKustomization(
    memoryInput({
      'app/kustomization.yaml': [
        'resources:',
        '  - missing.yaml',
        '  - cm.yaml',
        '  - ../base',
        'patches:',
        '  - path: absent.yaml',
        '  - path: patch.yaml',
        'configMapGenerator:',
        '  - name: settings',
        '    files:',
        '      - nothing.txt',
        '      - settings.txt',
        'configurations:',
        '  - config.yaml',
        '',
      ].join('\n'),
      'app/cm.yaml': cm('a'),
      'app/patch.yaml': cm('a') + 'data:\n  k: v\n',
      'app/settings.txt': 'x',
      'app/config.yaml': 'nameReference: []\n',
      'base/kustomization.yaml': 'resources:\n  - deploy.yaml\n',
      'base/deploy.yaml': cm('b'),
    }),
    'app',
  );
  assert.deepEqual(result.objects, []);
  assert.equal(result.error?.code, 'missing-path');
  assert.match(result.error!.message, /missing\.yaml/);
  assert.deepEqual(result.error?.source, { file: 'app/kustomization.yaml', nodePath: ['resources', 0] });
  assert.deepEqual([...result.reach.manifests], ['app/cm.yaml', 'base/deploy.yaml']);
  assert.deepEqual([...result.reach.kustomizationFiles], ['app/kustomization.yaml', 'base/kustomization.yaml']);
  assert.deepEqual([...result.reach.patches], ['app/patch.yaml']);
  assert.deepEqual([...result.reach.inputs], ['app/config.yaml', 'app/settings.txt']);
  // What it reaches is what it read: an edit of one of them builds it again.
  for (const file of ['app/cm.yaml', 'base/deploy.yaml', 'app/patch.yaml', 'app/settings.txt']) assert.ok(result.reads.has(file), file);
});

test('the files listed after a refused entry are in the cluster: checked as applied, not unreachable', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
    'apps/kustomization.yaml': 'resources:\n  - missing.yaml\n  - ./web\n  - db.yaml\n',
    'apps/web/kustomization.yaml': 'resources:\n  - cm.yaml\n',
    'apps/web/cm.yaml': cm('web'),
    'apps/web/extra.yaml': cm('extra'),
    'apps/db.yaml': fluxKs('db', './db'),
    'db/cm.yaml': cm('db'),
  });
  const apps = model.graph.fluxKustomizations.find((k) => k.name === 'apps')!;
  // kustomize refuses the folder at its first entry, as before.
  assert.match(fluxBuild(model, apps)?.error?.message ?? '', /missing\.yaml/);
  // Only the manifest no kustomization lists is applied by no cluster.
  assert.deepEqual(model.graph.unreachable, ['apps/web/extra.yaml']);
  for (const file of ['apps/web/kustomization.yaml', 'apps/web/cm.yaml', 'apps/db.yaml', 'db/cm.yaml']) assert.deepEqual([...(model.graph.clustersOf.get(file) ?? [])], ['prod'], file);
  // The Flux Kustomization listed after the refused entry is one of the cluster's.
  assert.deepEqual(model.graph.clusters[0].kustomizations.map((k) => k.name), ['flux-system', 'apps', 'db']);
  // Its folder's kustomization is in the cluster, so the manifest it leaves out is reported.
  assert.deepEqual(check(model, 'kustomize/unlisted-manifest').map((f) => [f.file, f.message]), [
    ['apps/web/extra.yaml', 'ConfigMap extra is never deployed: extra.yaml is not listed in apps/web/kustomization.yaml.'],
  ]);
  assert.deepEqual(check(model, 'flux/unreachable-kustomization'), []);
});

test('the folder Flux generates a kustomization for is reached in the order it lists its files, a file that does not parse included', () => {
  const result = renderFluxKustomization(
    memoryInput({
      'app/a/kustomization.yaml': 'resources:\n  - x.yaml\n',
      'app/a/x.yaml': cm('x'),
      'app/b.yaml': 'key: [unclosed\n',
      'app/c/d.yaml': cm('d'),
    }),
    { folder: 'app', source: { file: 'ks.yaml', index: 0 }, name: 'app', namespace: 'flux-system', spec: {}, variables: {} },
  );
  assert.equal(result.error?.code, 'yaml-syntax');
  assert.deepEqual([...result.reach.manifests], ['app/b.yaml', 'app/a/x.yaml', 'app/c/d.yaml']);
  const clean = renderFluxKustomization(
    memoryInput({ 'app/a/kustomization.yaml': 'resources:\n  - x.yaml\n', 'app/a/x.yaml': cm('x'), 'app/b.yaml': cm('b'), 'app/c/d.yaml': cm('d') }),
    { folder: 'app', source: { file: 'ks.yaml', index: 0 }, name: 'app', namespace: 'flux-system', spec: {}, variables: {} },
  );
  assert.equal(clean.error, undefined);
  assert.deepEqual([...clean.reach.manifests], ['app/a/x.yaml', 'app/b.yaml', 'app/c/d.yaml']);
  assert.deepEqual(clean.objects.map((o) => o.name), ['x', 'b', 'd']);
});
