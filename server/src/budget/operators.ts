// Pods that operators run for a custom resource, in the resource's own namespace: estimated from
// the resource's spec by each operator's convention (how many pods, what each container asks for).
// Only operators whose pod count and resources are read from the spec are here; others stay
// "not counted" for the quota rules to say so.
import { buildEstimate, type EstimateOptions } from './estimate';
import { isMap } from './resource-list';
import type { NodePath, ReplicaCount, WorkloadBudget } from './types';

interface Convention {
  /** Operator's name, for notes. */
  operator: string;
  /** Pods, and the containers with the path of their resources in the spec. */
  read(spec: Record<string, unknown>): { replicas: ReplicaCount; how: string; containers: { name: string; path: NodePath }[] };
}

const count = (value: unknown, fallback: number, field: string): ReplicaCount =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? { known: true, count: value }
    : { known: false, assumed: fallback, reason: `${field} is not set: counted as ${fallback}` };

const CONVENTIONS: Readonly<Record<string, Convention>> = {
  'postgresql.cnpg.io/Cluster': {
    operator: 'CloudNativePG',
    read: (spec) => ({ replicas: count(spec.instances, 1, 'spec.instances'), how: 'spec.instances PostgreSQL pods of spec.resources', containers: [{ name: 'postgres', path: ['spec', 'resources'] }] }),
  },
  'postgresql.cnpg.io/Pooler': {
    operator: 'CloudNativePG',
    read: (spec) => ({ replicas: count(spec.instances, 1, 'spec.instances'), how: 'spec.instances PgBouncer pods', containers: [{ name: 'pgbouncer', path: pgbouncerResources(spec) }] }),
  },
  'redis.redis.opstreelabs.in/Redis': {
    operator: 'the Redis operator (OT)',
    read: () => ({ replicas: { known: true, count: 1 }, how: 'one Redis pod of spec.kubernetesConfig.resources', containers: [{ name: 'redis', path: ['spec', 'kubernetesConfig', 'resources'] }] }),
  },
  'redis.redis.opstreelabs.in/RedisReplication': {
    operator: 'the Redis operator (OT)',
    read: (spec) => ({ replicas: count(spec.clusterSize, 1, 'spec.clusterSize'), how: 'spec.clusterSize Redis pods of spec.kubernetesConfig.resources', containers: [{ name: 'redis', path: ['spec', 'kubernetesConfig', 'resources'] }] }),
  },
  'redis.redis.opstreelabs.in/RedisSentinel': {
    operator: 'the Redis operator (OT)',
    read: (spec) => ({ replicas: count(spec.clusterSize, 1, 'spec.clusterSize'), how: 'spec.clusterSize sentinel pods of spec.kubernetesConfig.resources', containers: [{ name: 'sentinel', path: ['spec', 'kubernetesConfig', 'resources'] }] }),
  },
  'redis.redis.opstreelabs.in/RedisCluster': {
    operator: 'the Redis operator (OT)',
    read: (spec) => {
      const size = count(spec.clusterSize, 3, 'spec.clusterSize');
      const pods = size.known ? size.count * 2 : size.assumed * 2;
      return { replicas: size.known ? { known: true, count: pods } : { known: false, assumed: pods, reason: size.reason }, how: 'spec.clusterSize leaders and as many followers, of spec.kubernetesConfig.resources', containers: [{ name: 'redis', path: ['spec', 'kubernetesConfig', 'resources'] }] };
    },
  },
  'dragonflydb.io/Dragonfly': {
    operator: 'the Dragonfly operator',
    read: (spec) => ({ replicas: count(spec.replicas, 1, 'spec.replicas'), how: 'spec.replicas Dragonfly pods of spec.resources', containers: [{ name: 'dragonfly', path: ['spec', 'resources'] }] }),
  },
  'monitoring.coreos.com/Prometheus': {
    operator: 'the Prometheus operator',
    read: (spec) => {
      const replicas = count(spec.replicas, 1, 'spec.replicas');
      const shards = typeof spec.shards === 'number' && spec.shards > 1 ? spec.shards : 1;
      const n = (replicas.known ? replicas.count : replicas.assumed) * shards;
      return { replicas: replicas.known ? { known: true, count: n } : { known: false, assumed: n, reason: replicas.reason }, how: 'spec.replicas × spec.shards Prometheus pods of spec.resources', containers: [{ name: 'prometheus', path: ['spec', 'resources'] }] };
    },
  },
  'monitoring.coreos.com/Alertmanager': {
    operator: 'the Prometheus operator',
    read: (spec) => ({ replicas: count(spec.replicas, 1, 'spec.replicas'), how: 'spec.replicas Alertmanager pods of spec.resources', containers: [{ name: 'alertmanager', path: ['spec', 'resources'] }] }),
  },
};

function pgbouncerResources(spec: Record<string, unknown>): NodePath {
  const containers = (spec.template as any)?.spec?.containers;
  if (Array.isArray(containers)) {
    const index = containers.findIndex((c) => isMap(c) && c.name === 'pgbouncer');
    if (index >= 0) return ['spec', 'template', 'spec', 'containers', index, 'resources'];
  }
  return ['spec', 'template', 'spec', 'containers', 0, 'resources'];
}

/** The group/kind key of a custom resource, when an operator convention knows it. */
export function operatorConvention(apiVersion: string, kind: string): string | undefined {
  const key = `${apiVersion.split('/')[0]}/${kind}`;
  return CONVENTIONS[key] ? key : undefined;
}

/** The pods an operator runs for `object` (a custom resource), or undefined for kinds it does not know. */
export function estimateOperatorWorkload(object: any, options: EstimateOptions = {}): WorkloadBudget | undefined {
  if (!isMap(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return undefined;
  const key = operatorConvention(object.apiVersion, object.kind);
  if (!key) return undefined;
  const convention = CONVENTIONS[key];
  const spec = isMap(object.spec) ? object.spec : {};
  const { replicas, how, containers } = convention.read(spec);
  const at = (path: NodePath) => path.reduce<unknown>((value, step) => (value as any)?.[step], object);
  const estimate = buildEstimate({
    kind: object.kind,
    name: typeof (object.metadata as any)?.name === 'string' ? (object.metadata as any).name : object.kind,
    replicas,
    surge: 0,
    containers: containers.map((c) => ({ name: c.name, role: 'container' as const, path: c.path, resources: at(c.path) })),
    podSpec: {},
    podPath: ['spec'],
    notes: [`estimated from its ${object.kind}: ${convention.operator} runs ${how}`],
    options,
  });
  return { ...estimate, estimatedFrom: 'operator' };
}

/**
 * Custom resources an operator turns into pods in their own namespace: those whose pods a
 * convention above estimates, and these, whose pods are not estimated. One table: the quota
 * rules ask `mayRunPods`, the budgets `estimateOperatorWorkload`.
 */
const POD_MAKING_KINDS: ReadonlySet<string> = new Set([
  ...Object.keys(CONVENTIONS),
  'volsync.backube/ReplicationSource', 'volsync.backube/ReplicationDestination',
  'monitoring.coreos.com/ThanosRuler', 'monitoring.coreos.com/PrometheusAgent',
  'grafana.integreatly.org/Grafana',
  ...['VMSingle', 'VMCluster', 'VMAgent', 'VMAlert', 'VMAlertmanager', 'VMAuth', 'VLSingle', 'VLCluster', 'VLogs'].map((k) => `operator.victoriametrics.com/${k}`),
  'actions.github.com/AutoscalingRunnerSet',
  'actions.summerwind.dev/RunnerDeployment', 'actions.summerwind.dev/RunnerSet',
]);
/** Groups whose custom resources never run pods of their own (beyond the kinds above). */
const NO_POD_GROUPS = /(^|\.)(k8s\.io|fluxcd\.io|cert-manager\.io|external-secrets\.io|monitoring\.coreos\.com|traefik\.io|traefik\.containo\.us|cilium\.io|kyverno\.io|grafana\.integreatly\.org|operator\.victoriametrics\.com|volsync\.backube|postgresql\.cnpg\.io|gateway\.envoyproxy\.io)$/;

/**
 * A custom resource an operator turns into pods: a known kind, or an unknown group whose spec
 * looks like a workload's (instances, replicas, resources, image).
 */
export function mayRunPods(apiVersion: string, kind: string, object: any): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  if (!group.includes('.')) return false;
  if (POD_MAKING_KINDS.has(`${group}/${kind}`)) return true;
  if (NO_POD_GROUPS.test(group)) return false;
  const spec = object?.spec;
  return !!spec && typeof spec === 'object' && ['instances', 'replicas', 'resources', 'image'].some((k) => k in spec);
}
