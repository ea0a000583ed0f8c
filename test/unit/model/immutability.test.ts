// Rules share the model's parsed objects (the per-cluster build copies only what it changes):
// checking a repository must leave every object as it was parsed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runChecks } from '../../../server/src/check';
import { RepoModel } from '../../../server/src/model/model';
import { RULE_IDS } from '../../../server/src/rules';

test('running every rule on the example repository changes no object of the model', async () => {
  const model = await RepoModel.load(path.resolve(__dirname, '../../../examples/layered-repo'), RULE_IDS);
  const before = JSON.stringify([...model.resources()].map((r) => r.object));
  const first = runChecks(model);
  assert.ok(first.some((f) => f.rule === 'quota/over-budget'), 'the kustomize and Flux patches of the example were applied');
  assert.equal(JSON.stringify([...model.resources()].map((r) => r.object)), before);
  assert.deepEqual(runChecks(model).map((f) => f.message), first.map((f) => f.message));
});
