import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartRepo, fixtureChart, fixtureStore, helmRelease } from '../../helpers/chartRepos';
import { applyFix, at, check, yaml } from '../../helpers/repo';

const web = (values: string) => ({ ...fixtureChart('web', 'charts/web'), 'apps/web.yaml': helmRelease('web', { path: './charts/web' }, values) });
const plain = (values: string) => ({ ...fixtureChart('plain', 'charts/plain'), 'apps/worker.yaml': helmRelease('worker', { path: './charts/plain' }, values) });

test('helm/invalid-values: a wrong type, an enum value and an unknown key, each at its node', () => {
  const model = chartRepo(
    web(yaml`
      replicaCount: two
      image:
        tagg: "2.0"
      service:
        type: ClusterIp
    `),
  );
  const findings = check(model, 'helm/invalid-values');
  assert.deepEqual(
    findings.map((f) => [at(f), f.severity, f.message]),
    [
      ['16:19-16:22', 'error', '"replicaCount" must be an integer, got string (chart web 1.4.0)'],
      ['18:7-18:11', 'error', 'Unknown field "tagg" in values.image; did you mean "tag"? (chart web 1.4.0)'],
      ['20:13-20:22', 'error', '"type" must be one of "ClusterIP", "NodePort", "LoadBalancer", got "ClusterIp"; did you mean "ClusterIP"? (chart web 1.4.0)'],
    ],
  );
  applyFix(model, findings[1].fixes![0]);
  assert.match(model.file('apps/web.yaml')!.text, /\n {6}tag: "2.0"\n/);
  assert.equal(check(model, 'helm/invalid-values').length, 2);
});

test('helm/invalid-values: a value nested one level wrong is named where it belongs', () => {
  const model = chartRepo(web('tag: "2.0"\n'));
  const findings = check(model, 'helm/invalid-values');
  assert.deepEqual(findings.map((f) => [at(f), f.message]), [['16:5-16:8', 'Unknown field "tag" in values; did you mean image.tag? (chart web 1.4.0)']]);
});

test('helm/invalid-values: valid values, substitutions and encrypted values are not judged', () => {
  const model = chartRepo(
    web(yaml`
      replicaCount: \${WEB_REPLICAS}
      image:
        tag: "2.0"
        pullPolicy: Always
      podAnnotations:
        example.com/any: "yes"
      service:
        port: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:int]
    `),
  );
  assert.deepEqual(check(model, 'helm/invalid-values'), []);
});

test('helm/invalid-values: a required value removed is reported at the nearest written ancestor', () => {
  const model = chartRepo(web('image:\n  repository: null\n'));
  const findings = check(model, 'helm/invalid-values');
  assert.deepEqual(findings.map((f) => [at(f), f.message]), [['16:5-16:10', 'Missing required field "repository" in values.image (chart web 1.4.0)']]);
});

test('helm/invalid-values: values from a ConfigMap are merged before spec.values; an unreadable Secret silences required', () => {
  const configMap = yaml`
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: web-values
      namespace: apps
    data:
      values.yaml: |
        replicaCount: many
        service:
          port: 80
  `;
  const release = helmRelease('web', { path: './charts/web' }, 'service:\n  port: 8080\n').replace('  chart:\n', '  valuesFrom:\n    - kind: ConfigMap\n      name: web-values\n  chart:\n');
  const model = chartRepo({ ...fixtureChart('web', 'charts/web'), 'apps/web.yaml': release, 'apps/values.yaml': configMap });
  const findings = check(model, 'helm/invalid-values');
  assert.deepEqual(findings.map((f) => [at(f), f.message]), [['9:7-10:23', 'In ConfigMap web-values (valuesFrom): "replicaCount" must be an integer, got string (chart web 1.4.0)']]);
  const fromSecret = helmRelease('web', { path: './charts/web' }, 'image:\n  repository: null\n').replace('  chart:\n', '  valuesFrom:\n    - kind: Secret\n      name: web-secret\n  chart:\n');
  const unread = chartRepo({ ...fixtureChart('web', 'charts/web'), 'apps/web.yaml': fromSecret });
  assert.deepEqual(check(unread, 'helm/invalid-values'), []);
});

test('helm/invalid-values: nothing without a resolved chart', () => {
  const model = chartRepo({ 'apps/web.yaml': helmRelease('web', { chart: 'web', repository: 'example' }, 'replicaCount: two\n') });
  assert.deepEqual(check(model, 'helm/invalid-values'), []);
  assert.deepEqual(check(model, 'helm/unknown-value'), []);
});

test('helm/unknown-value: a misspelt key and a misplaced key in a chart without a schema', () => {
  const model = chartRepo(
    plain(yaml`
      replicaCount: 2
      tag: "2.0"
      worker:
        concurency: 8
    `),
  );
  const findings = check(model, 'helm/unknown-value');
  assert.deepEqual(
    findings.map((f) => [at(f), f.severity, f.message]),
    [
      ['17:5-17:8', 'information', '"tag" is not a value of chart plain 0.3.1 at the top level (its values.yaml has no such key there); did you mean image.tag?'],
      ['19:7-19:17', 'information', '"concurency" is not a value of chart plain 0.3.1 at worker (its values.yaml has no such key there); did you mean "concurrency"?'],
    ].sort(),
  );
  const typo = findings.find((f) => f.message.includes('concurency'))!;
  applyFix(model, typo.fixes![0]);
  assert.equal(check(model, 'helm/unknown-value').length, 1);
});

test('helm/unknown-value: free-form maps, subcharts, global and commented-out keys are not judged', () => {
  const model = chartRepo(
    plain(yaml`
      env:
        ANY_NAME: value
      redis:
        architecture: standalone
      global:
        storageClass: fast
      worker:
        queues: [default]
      resources:
        limits:
          memory: 1Gi
    `),
  );
  assert.deepEqual(check(model, 'helm/unknown-value'), []);
});

test('helm/unknown-value: a chart whose values are free-form has nothing to say inside them', () => {
  const model = chartRepo({ ...fixtureChart('freeform', 'charts/freeform'), 'apps/cfg.yaml': helmRelease('cfg', { path: './charts/freeform' }, 'config:\n  anything:\n    goes: true\n') });
  assert.deepEqual(check(model, 'helm/unknown-value'), []);
});

test('helm/unknown-value: a chart with a schema is left to helm/invalid-values; a cached chart is judged too', () => {
  const store = fixtureStore('https://charts.example.com', { plain: 'plain' });
  const repository = yaml`
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: HelmRepository
    metadata:
      name: example
      namespace: apps
    spec:
      url: https://charts.example.com
  `;
  const model = chartRepo({ 'apps/repo.yaml': repository, 'apps/w.yaml': helmRelease('w', { chart: 'plain', repository: 'example' }, 'replicaCont: 2\n') }, [store]);
  assert.deepEqual(check(model, 'helm/unknown-value').map((f) => f.message), ['"replicaCont" is not a value of chart plain 0.3.1 at the top level (its values.yaml has no such key there); did you mean "replicaCount"?']);
  assert.deepEqual(check(chartRepo(web('podAnnotations:\n  a: b\n')), 'helm/unknown-value'), []);
});
