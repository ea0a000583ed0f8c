// The Clusters view's order of Kustomizations (features/tree.ts): each after what it depends on,
// as the model's one dependsOn resolver (model/dependencies.ts) reads the entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dependencyOrder } from '../../../server/src/features/tree';
import { FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';

const dependsOn = (...names: string[]) => `  dependsOn:\n${names.map((n) => (n.includes('/') ? `    - name: ${n.split('/')[1]}\n      namespace: ${n.split('/')[0]}\n` : `    - name: ${n}\n`)).join('')}`;
const order = (files: Record<string, string>) => {
  const model = repo({ 'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'), ...files });
  return dependencyOrder(model, model.graph.clusters[0]).map((ks) => `${ks.namespace}/${ks.name}`);
};

test('Kustomizations come after what they depend on, otherwise in the order reached', () => {
  assert.deepEqual(
    order({
      'clusters/prod/a-apps.yaml': fluxKs('apps', './apps', dependsOn('services')),
      'clusters/prod/b-services.yaml': fluxKs('services', './services', dependsOn('core')),
      'clusters/prod/c-core.yaml': fluxKs('core', './core'),
    }),
    ['flux-system/flux-system', 'flux-system/core', 'flux-system/services', 'flux-system/apps'],
  );
});

test('a dependsOn entry names its own namespace unless it says another', () => {
  const ks = (name: string, namespace: string, extra = '') => fluxKs(name, `./${name}`, extra).replace('namespace: flux-system', `namespace: ${namespace}`);
  assert.deepEqual(
    order({
      'clusters/prod/a-web.yaml': ks('web', 'apps', dependsOn('db', 'infra/db')),
      'clusters/prod/b-db.yaml': ks('db', 'infra'),
      'clusters/prod/c-db.yaml': ks('db', 'apps'),
    }),
    ['flux-system/flux-system', 'infra/db', 'apps/db', 'apps/web'],
  );
});

test('unknown dependencies are ignored and the members of a cycle keep their order', () => {
  assert.deepEqual(
    order({
      'clusters/prod/a.yaml': fluxKs('a', './a', dependsOn('b')),
      'clusters/prod/b.yaml': fluxKs('b', './b', dependsOn('a')),
      'clusters/prod/c.yaml': fluxKs('c', './c', dependsOn('missing', 'c')),
    }),
    ['flux-system/flux-system', 'flux-system/c', 'flux-system/a', 'flux-system/b'],
  );
});
