import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateOperatorWorkload } from '../../../server/src/budget/operators';
import { formatQuantity } from '../../../server/src/budget/quantity-format';

const requests = (b: ReturnType<typeof estimateOperatorWorkload>) => Object.fromEntries([...b!.requests].map(([k, q]) => [k, formatQuantity(q, k)]));

test('operator conventions: pods from the spec, resources where the operator reads them, unknown counts said so', () => {
  const cluster = estimateOperatorWorkload({ apiVersion: 'redis.redis.opstreelabs.in/v1beta2', kind: 'RedisCluster', metadata: { name: 'c' }, spec: { clusterSize: 3, kubernetesConfig: { resources: { requests: { cpu: '200m', memory: '256Mi' } } } } })!;
  assert.deepEqual([cluster.kind, cluster.name, cluster.replicas, cluster.estimatedFrom], ['RedisCluster', 'c', { known: true, count: 6 }, 'operator']);
  assert.deepEqual(requests(cluster), { cpu: '200m', memory: '256Mi' });

  const prometheus = estimateOperatorWorkload({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'p' }, spec: { replicas: 2, shards: 2 } })!;
  assert.deepEqual(prometheus.replicas, { known: true, count: 4 });
  assert.deepEqual(requests(prometheus), {});

  const sentinel = estimateOperatorWorkload({ apiVersion: 'redis.redis.opstreelabs.in/v1beta2', kind: 'RedisSentinel', metadata: { name: 's' }, spec: {} })!;
  assert.deepEqual(sentinel.replicas, { known: false, assumed: 1, reason: 'spec.clusterSize is not set: counted as 1' });

  // LimitRange defaults fill what the resource does not set, as for any pod.
  const limitRange = { kind: 'LimitRange', spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '50m', memory: '64Mi' } }] } };
  const db = estimateOperatorWorkload({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db' }, spec: {} }, { limitRanges: [limitRange] })!;
  assert.deepEqual([db.replicas, requests(db)], [{ known: false, assumed: 1, reason: 'spec.instances is not set: counted as 1' }, { cpu: '50m', memory: '64Mi' }]);

  assert.equal(estimateOperatorWorkload({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'x' }, spec: {} }), undefined);
  assert.equal(estimateOperatorWorkload({ apiVersion: 'example.com/v1', kind: 'Cluster', spec: { instances: 3 } }), undefined, 'a Cluster of another group');
});
