// The schema engine over every document of the real repositories in ../shared/corpus: no valid
// document may get a problem. What the corpus really gets wrong is listed in CORPUS-FINDINGS.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resetSchemaTimings, schemaTimings } from '../../../server/src/schema/index';
import { CORPUS, runCorpusRepository } from './corpus-helpers';

const repositories = existsSync(CORPUS) ? readdirSync(CORPUS).filter((d) => !d.endsWith('.md')).sort() : [];
const skip = repositories.length ? false : `no corpus at ${CORPUS} (../shared is absent)`;

/** Problems that are real errors of the corpus (see CORPUS-FINDINGS.md), by repository. */
const EXPECTED: Record<string, string[]> = {};

/**
 * What the bundled CRD snapshot (@kubernetes-models/external-secrets 2.0.0) does not know because
 * these repositories run a newer External Secrets Operator: said as information, never an error.
 */
const SNAPSHOT = ' (by the bundled schema from @kubernetes-models/external-secrets@2.0.0; another release of the operator may accept it)';
const UNCERTAIN: Record<string, string[]> = {
  JJGadgets__Biohazard: [
    `kube/deploy/core/db/pg/clusters/template/pguser/base/externalsecrets.yaml#1 spec.secretKeys: Unknown field "secretKeys" in Password.spec; allowed fields: allowRepeat, digits, length, noUpper, symbolCharacters, symbols${SNAPSHOT}`,
  ],
  'onedr0p__home-ops': [
    `kubernetes/apps/external-secrets/onepassword-sdk-home-operations/app/clustersecretstore.yaml#0 spec.provider.onepasswordSDK: Unknown field "onepasswordSDK" in ClusterSecretStore.spec.provider; did you mean "onepassword"?${SNAPSHOT}`,
  ],
};

test('every corpus document with a known kind validates without a false problem', { skip }, () => {
  resetSchemaTimings();
  let validated = 0;
  for (const repository of repositories) {
    const result = runCorpusRepository(join(CORPUS, repository));
    validated += result.validated;
    const problems = result.problems.map((p) => `${p.file}#${p.index} ${p.path}: ${p.message}`);
    assert.deepEqual(problems, EXPECTED[repository] ?? [], repository);
    assert.deepEqual(result.uncertain, UNCERTAIN[repository] ?? [], repository);
    assert.ok(result.validated > 0, `${repository}: nothing validated`);
    assert.deepEqual(result.typoMissed, [], `${repository}: a misspelt field was not reported`);
  }
  // Most documents have a known kind: the test is not passing by validating nothing.
  assert.ok(validated > 3000, `only ${validated} documents validated`);
  assert.ok(schemaTimings.validations >= validated);
});

/**
 * Deprecated API versions and kustomize fields the corpus really uses: the schema/deprecated-api
 * rows of test/corpus/EXPECTED.md, where each was reviewed (one table, not two).
 */
const DEPRECATED: Record<string, number> = Object.fromEntries(
  readFileSync(join(__dirname, '../../corpus/EXPECTED.md'), 'utf8')
    .split('\n')
    .map((line) => line.split('|').map((c) => c.trim()))
    .filter((cells) => cells[2] === 'schema/deprecated-api' && /^\d+$/.test(cells[4] ?? ''))
    .map((cells) => [cells[1], Number(cells[4])]),
);

test('the schema rules report no error on the corpus, only its deprecated APIs', { skip }, async () => {
  const { RepoModel } = await import('../../../server/src/model/model');
  const { RULE_IDS } = await import('../../../server/src/rules');
  const { schemaInvalid } = await import('../../../server/src/rules/schema-invalid');
  const { schemaDeprecatedApi } = await import('../../../server/src/rules/schema-deprecated-api');
  for (const repository of repositories) {
    const model = await RepoModel.load(join(CORPUS, repository), RULE_IDS);
    const errors = schemaInvalid.check(model).filter((f) => f.severity !== 'information');
    assert.deepEqual(errors.map((f) => `${f.file}:${f.range.start.line + 1} ${f.message}`), [], repository);
    assert.equal(schemaDeprecatedApi.check(model).length, DEPRECATED[repository] ?? 0, repository);
  }
});
