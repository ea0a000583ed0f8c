// Quick fix titles stay within 80 characters (the lightbulb cuts longer ones off): rules name the
// file they create by its name (the fix opens it), and check.ts shortens whatever is still longer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FIX_TITLE } from '../../../server/src/check';
import { check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';

/** A cluster applying one component whose namespace nothing declares (namespace/missing and its fix). */
function component(folder: string, namespace: string) {
  return repo({
    'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
    'clusters/production/apps.yaml': fluxKs('shop', `./${folder}`),
    [`${folder}/kustomization.yaml`]: `namespace: ${namespace}\nresources:\n  - cm.yaml\n`,
    [`${folder}/cm.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
  });
}

const titles = (model: ReturnType<typeof repo>, rule: string) => check(model, rule).flatMap((f) => (f.fixes ?? []).map((fix) => fix.title));

test('a created file is named by its file name in the title, not its path', () => {
  assert.deepEqual(titles(component('environments/apps/shop', 'shop'), 'namespace/missing'), ['Create namespace.yaml (Namespace shop)']);
});

test('fix titles stay within 80 characters, whatever a rule proposes (a namespace of 63 characters)', () => {
  const namespace = 'a-namespace-name-of-the-greatest-length-kubernetes-allows-ns-63';
  assert.equal(namespace.length, 63);
  const [title, ...rest] = titles(component('apps/shop', namespace), 'namespace/missing');
  assert.deepEqual(rest, []);
  assert.equal(title!.length, MAX_FIX_TITLE);
  assert.equal(title, `Create namespace.yaml (Namespace ${namespace}`.slice(0, MAX_FIX_TITLE - 1) + '…');
});
