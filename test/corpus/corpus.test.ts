// Every repository of ../shared/corpus is checked; what is found must match EXPECTED.md, where
// each count was reviewed by hand. Skips, saying so, when ../shared is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { runChecks } from '../../server/src/check';
import { RepoModel } from '../../server/src/model/model';
import { RULE_IDS } from '../../server/src/rules';
import { indexJson } from '../../server/src/output/index-json';
import { applyTextEdits } from '../../server/src/fixes';
import { category } from './categories';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
const present = existsSync(CORPUS);
const skip = present ? false : `../shared/corpus is absent (${CORPUS})`;

function expectedCounts(): Map<string, Map<string, number>> {
  const text = readFileSync(path.join(__dirname, 'EXPECTED.md'), 'utf8');
  const table = new Map<string, Map<string, number>>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | repository | rule | severity | count | verdict |
    if (cells.length < 7 || !/^\d+$/.test(cells[4])) continue;
    const [, repo, rule, severity, count] = cells;
    if (!table.has(repo)) table.set(repo, new Map());
    if (rule !== '(none)') table.get(repo)!.set(`${rule} | ${severity}`, Number(count));
  }
  return table;
}

const repos = present ? readdirSync(CORPUS).filter((d) => existsSync(path.join(CORPUS, d)) && !d.endsWith('.md')).sort() : [];

test('every corpus repository is checked without a crash and finds exactly what EXPECTED.md lists', { skip }, async () => {
  const expected = expectedCounts();
  assert.deepEqual([...expected.keys()].sort(), repos, 'EXPECTED.md must list every corpus repository');
  for (const repo of repos) {
    const errors: string[] = [];
    const model = await RepoModel.load(path.join(CORPUS, repo), RULE_IDS);
    const findings = runChecks(model, { onRuleError: (rule, e) => errors.push(`${rule.id}: ${(e as Error).stack}`) });
    assert.deepEqual(errors, [], `${repo}: a rule threw`);
    const counts = new Map<string, number>();
    for (const f of findings) counts.set(category(f), (counts.get(category(f)) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries([...counts].sort()), Object.fromEntries([...expected.get(repo)!].sort()), repo);
  }
});

test('the design seed at c2b6592: clusters staging and us-west, layers core and apps, both staging paths missing', { skip }, async () => {
  const model = await RepoModel.load(path.join(CORPUS, 'simplelumine__k8s-gitops@c2b6592'), RULE_IDS);
  const index = indexJson(model) as any;
  assert.deepEqual(index.clusters.map((c: any) => c.name).sort(), ['staging', 'us-west']);
  assert.deepEqual(index.layers.map((l: any) => [l.name, l.components.map((c: any) => c.name)]), [
    ['core', ['cert-manager', 'cloudnative-pg', 'longhorn', 'portainer-agent', 'redis-operator', 'tailscale-operator']],
    ['apps', ['actual-budget', 'open-webui']],
  ]);
  const missing = runChecks(model).filter((f) => f.rule === 'flux/path-not-found');
  assert.deepEqual(missing.map((f) => [f.file, f.message]), [
    ['clusters/staging/apps.yaml', 'spec.path "./environments/apps/overlays/staging" of Kustomization apps-staging does not exist in this repository; its deepest existing folder is "./environments/apps".'],
    ['clusters/staging/core.yaml', 'spec.path "./environments/core/overlays/staging" of Kustomization core-staging does not exist in this repository; its deepest existing folder is "./environments/core".'],
  ]);
  // environments/apps has no kustomization.yaml to build an overlay over: pointing staging at every
  // app's base folder is only offered, by name, never preferred.
  assert.deepEqual(missing[0].fixes!.map((f) => [f.title, f.preferred ?? false]), [['Change spec.path to the whole of ./environments/apps', false]]);
});

test('paths relative to artifacts and other branches resolve or stay unresolved, never missing', { skip }, async () => {
  const examples: Array<[string, string, string | undefined]> = [
    ['xunholy__k8s-gitops', 'cluster', 'kubernetes/apps/overlays/cluster-00'],
    ['fluxcd__flux2-kustomize-helm-example', 'apps', 'apps/production'],
    ['fluxcd__flux2-multi-tenancy', 'dev-team', undefined],
  ];
  for (const [repo, name, folder] of examples) {
    const model = await RepoModel.load(path.join(CORPUS, repo), RULE_IDS);
    const ks = model.graph.fluxKustomizations.find((k) => k.name === name)!;
    assert.equal(ks.folder, folder, `${repo}: ${name}`);
    if (folder === undefined) assert.match(ks.unresolvedReason!, /another repository or branch/);
  }
});

test('the design seed at c2b6592: open-webui applies a CloudNativePG Cluster without depending on cloudnative-pg; the fix adds it', { skip }, async () => {
  const model = await RepoModel.load(path.join(CORPUS, 'simplelumine__k8s-gitops@c2b6592'), RULE_IDS);
  const [f, ...rest] = runChecks(model).filter((x) => x.rule === 'flux/missing-depends-on');
  assert.equal(rest.length, 0);
  assert.equal(f.file, 'clusters/us-west/apps/open-webui.yaml');
  assert.match(f.message, /^Kustomization open-webui applies Cluster open-webui-db whose CRD \(postgresql\.cnpg\.io\) is installed by Kustomization cloudnative-pg, but does not depend on it/);
  const [change] = f.fixes![0].changes;
  assert.equal(change.kind, 'edit');
  const text = applyTextEdits(model.file(f.file)!.text, change.kind === 'edit' ? change.edits : []);
  model.setFile(f.file, text);
  assert.match(text, /dependsOn:\n(\s+- name: [\w-]+\n)*\s+- name: cloudnative-pg\n/);
  assert.deepEqual(runChecks(model).filter((x) => x.rule === 'flux/missing-depends-on'), []);
});
