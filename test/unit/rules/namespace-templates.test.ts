import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';

// A database template in the db component's folder, applied by the shop's own Kustomization with
// the namespace as a post-build variable: the object belongs to the shop.
test('namespace/foreign is quiet on a shared template whose namespace the applying Kustomization substitutes', () => {
  const model = repo({
    'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
    'clusters/production/apps.yaml':
      fluxKs('shop', './apps/shop') +
      '---\n' +
      fluxKs('db', './apps/db/operator') +
      '---\n' +
      fluxKs('shop-db', './apps/db/template', '  postBuild:\n    substitute:\n      APP_NS: shop\n'),
    'apps/shop/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
    'apps/db/operator/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: db\n',
    'apps/db/template/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pg-settings\n  namespace: ${APP_NS}\n',
  });
  assert.deepEqual(check(model, 'namespace/foreign'), []);
});
