import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';
import { indexJson } from '../../../server/src/output/index-json';
import type { RepoModel } from '../../../server/src/model/model';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const initial: Record<string, string | null> = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './environments/apps/web'),
  'environments/core/dns/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dns\n',
  'environments/apps/web/kustomization.yaml': 'namespace: web\nresources:\n  - cm.yaml\n',
  'environments/apps/web/cm.yaml': cm('web'),
};

/** Edits a person makes: structural ones (paths, lists, dependsOn) and plain content ones. */
const edits: Array<[string, string | null | undefined]> = [
  ['clusters/prod/apps.yaml', fluxKs('apps', './environments/apps/webb')],
  ['clusters/prod/apps.yaml', fluxKs('apps', './environments/apps/web', '  dependsOn:\n    - name: core\n')],
  ['clusters/prod/core.yaml', fluxKs('core', './environments/core')],
  ['clusters/prod/core.yaml', undefined],
  ['environments/apps/web/kustomization.yaml', 'namespace: web\nresources:\n  - cm.yaml\n  - extra.yaml\n'],
  ['environments/apps/web/kustomization.yaml', 'resources:\n  - cm.yaml\n'],
  ['environments/apps/web/extra.yaml', cm('extra')],
  ['environments/apps/web/extra.yaml', undefined],
  ['environments/apps/web/cm.yaml', cm('renamed')],
  ['environments/apps/web/cm.yaml', 'a: "broken'],
  ['environments/services/db/ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: db\n'],
  ['environments/services/db/ns.yaml', undefined],
  ['environments/apps/web/settings.env', null],
  ['.gitops-guardrails.yaml', 'rules:\n  flux/path-not-found: warning\n'],
  ['.gitops-guardrails.yaml', undefined],
  // A Chart.yaml makes the files under templates/ templates: no objects while it is there.
  ['environments/apps/web/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 1.0.0\n'],
  ['environments/apps/web/Chart.yaml', undefined],
  ['environments/apps/web/templates/cm.yaml', cm('templated')],
  ['environments/apps/web/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n'],
  ['environments/apps/web/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n'],
];

function snapshot(model: RepoModel) {
  return { index: indexJson(model), findings: check(model).map((f) => ({ ...f, fixes: f.fixes?.map((x) => x.title) })) };
}

test('the incremental model equals one built from scratch after any series of edits', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: edits.length - 1 }), { minLength: 1, maxLength: 12 }), (sequence) => {
      const incremental = repo(initial);
      const files = new Map(Object.entries(initial));
      snapshot(incremental); // derive once, so later edits exercise invalidation
      for (const i of sequence) {
        const [path, text] = edits[i];
        incremental.setFile(path, text);
        if (text === undefined) files.delete(path);
        else files.set(path, text);
        if (i % 3 === 0) snapshot(incremental);
      }
      const scratch = repo(Object.fromEntries(files));
      assert.deepEqual(snapshot(incremental), snapshot(scratch));
    }),
    { numRuns: 150, seed: 20261126 },
  );
});

test('a content-only edit keeps the derived graph; a structural edit rebuilds it', () => {
  const model = repo(initial);
  const before = model.graph;
  model.setFile('environments/apps/web/cm.yaml', cm('web') + 'data:\n  a: "1"\n');
  assert.equal(model.graph, before);
  model.setFile('environments/apps/web/kustomization.yaml', 'resources: []\n');
  assert.notEqual(model.graph, before);
});
