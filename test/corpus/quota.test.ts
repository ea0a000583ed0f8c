// The design seed at c2b6592 has no ResourceQuota: every component namespace gets quota/missing,
// and applying each fix in memory makes its finding disappear without adding an error or warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { runChecks } from '../../server/src/check';
import { applyTextEdits } from '../../server/src/fixes';
import { RepoModel } from '../../server/src/model/model';
import { RULE_IDS } from '../../server/src/rules';
import type { Finding } from '../../server/src/rules/types';

const SEED = path.resolve(__dirname, '../../../shared/corpus/simplelumine__k8s-gitops@c2b6592');
const skip = existsSync(SEED) ? false : `the corpus repository is absent (${SEED})`;
const serious = (findings: Finding[]) => findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.rule} ${f.file}:${f.range.start.line + 1} ${f.message}`).sort();

test('the design seed at c2b6592: every component namespace gets quota/missing, and each fix removes its finding without new problems', { skip }, async () => {
  const model = await RepoModel.load(SEED, RULE_IDS);
  const componentNamespaces = [...new Set(model.layers.components.flatMap((c) => c.ownNamespaces))].sort();
  const before = runChecks(model);
  const quota = before.filter((f) => f.rule === 'quota/missing');
  assert.deepEqual(quota.map((f) => f.message.replace(/^Namespace (\S+) .*$/, '$1')).sort(), componentNamespaces);
  assert.deepEqual(componentNamespaces, ['actual-budget', 'cert-manager', 'cnpg-system', 'longhorn-system', 'open-webui', 'ot-operators', 'portainer', 'tailscale']);
  const baseline = serious(before);
  // Only portainer's pods are all visible (a Deployment manifest); the charts' fixes ask for a review.
  assert.deepEqual(quota.filter((f) => f.fixes?.[0]?.safe).map((f) => f.message.split(' ')[1]), ['portainer']);
  for (const finding of quota) {
    const fix = finding.fixes?.[0];
    assert.ok(fix, `${finding.message}: a fix`);
    for (const change of fix!.changes) {
      if (change.kind === 'create') model.setFile(change.file, change.text);
      else if (change.kind === 'edit') model.setFile(change.file, applyTextEdits(model.file(change.file)!.text, change.edits));
    }
    const after = runChecks(model);
    const namespace = finding.message.split(' ')[1];
    assert.equal(after.filter((f) => f.rule === 'quota/missing' && f.message.startsWith(`Namespace ${namespace} `)).length, 0, namespace);
    assert.deepEqual(serious(after), baseline, `${namespace}: no new error or warning`);
  }
  assert.deepEqual(runChecks(model).filter((f) => f.rule === 'quota/missing'), []);
});
