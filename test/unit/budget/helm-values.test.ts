import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { estimateHelmReleaseClaims, estimateHelmReleaseWorkloads } from '../../../server/src/budget/helm-values';
import { formatQuantity } from '../../../server/src/budget/quantity-format';
import type { ResourceList } from '../../../server/src/budget/types';

function show(list: ResourceList): string {
  return [...list]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, q]) => `${name}=${formatQuantity(q, name)}`)
    .join(' ');
}

function helmRelease(values: string, extra = ''): unknown {
  const indented = values.replace(/^/gm, '    ');
  return parse(`
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: gatus, namespace: monitoring}
spec:
  interval: 1h
  chartRef: {kind: OCIRepository, name: app-template}
${extra}
  values:
${indented}
`);
}

// Modelled on app-template releases in the corpus: a sidecar init container with its own
// resources, an app container with requests and a memory limit.
const gatus = `
defaultPodOptions:
  securityContext: {runAsUser: 1000}
controllers:
  gatus:
    initContainers:
      gatus-sidecar:
        image: {repository: ghcr.io/home-operations/gatus-sidecar, tag: 0.5.1}
        resources:
          requests: {cpu: 10m, memory: 64Mi}
          limits: {memory: 128Mi}
        restartPolicy: Always
    containers:
      app:
        image: {repository: ghcr.io/twin/gatus, tag: v5.36.0}
        resources:
          requests: {cpu: 10m}
          limits: {memory: 256Mi}
persistence:
  config:
    existingClaim: gatus-config
`;

describe('estimateHelmReleaseWorkloads: app-template', () => {
  it('reads one controller with a sidecar and an app container', () => {
    const [w, ...rest] = estimateHelmReleaseWorkloads(helmRelease(gatus));
    assert.equal(rest.length, 0);
    assert.ok(w);
    assert.equal(w.estimatedFrom, 'chart values');
    assert.equal(w.kind, 'Deployment');
    assert.equal(w.name, 'gatus');
    assert.deepEqual(w.replicas, { known: true, count: 1 });
    assert.equal(w.surge, 0, 'app-template deployments use Recreate');
    assert.equal(show(w.requests), 'cpu=20m memory=320Mi');
    assert.equal(show(w.limits), 'memory=384Mi');
    assert.deepEqual(
      w.containers.map((c) => [c.name, c.role, c.path]),
      [
        ['gatus-sidecar', 'sidecar', ['spec', 'values', 'controllers', 'gatus', 'initContainers', 'gatus-sidecar']],
        ['app', 'container', ['spec', 'values', 'controllers', 'gatus', 'containers', 'app']],
      ],
    );
    assert.deepEqual(w.notes, []);
  });

  it('reports an init container without resources (modelled on teslamate init-db)', () => {
    const values = `
controllers:
  teslamate:
    initContainers:
      init-db:
        image: {repository: ghcr.io/home-operations/postgres-init, tag: "18"}
        envFrom: [{secretRef: {name: teslamate-secret}}]
    containers:
      main:
        resources:
          requests: {cpu: 50m, memory: 250Mi}
          limits: {memory: 500Mi}
`;
    const [w] = estimateHelmReleaseWorkloads(helmRelease(values));
    const noRequests = w!.containers.filter((c) => c.setsNoRequests).map((c) => [c.name, c.path]);
    assert.deepEqual(noRequests, [['init-db', ['spec', 'values', 'controllers', 'teslamate', 'initContainers', 'init-db']]]);
    assert.equal(show(w!.requests), 'cpu=50m memory=250Mi');
  });

  it('names, counts and types several controllers', () => {
    const values = `
controllers:
  web:
    replicas: 3
    strategy: RollingUpdate
    containers:
      app: {resources: {requests: {cpu: 500m}}}
  worker:
    type: statefulset
    replicas: \${WORKER_REPLICAS:=2}
    statefulset:
      volumeClaimTemplates:
        - {name: cache, size: 5Gi, storageClass: ceph-block, globalMounts: [{path: /cache}]}
    containers:
      app: {resources: {requests: {cpu: 250m}}}
  agent:
    type: daemonset
    containers:
      app: {}
  backup:
    type: cronjob
    cronjob: {schedule: "@daily", parallelism: 2}
    containers:
      app: {resources: {requests: {memory: 64Mi}}}
  old:
    enabled: false
    containers:
      app: {}
`;
    const workloads = estimateHelmReleaseWorkloads(helmRelease(values));
    assert.deepEqual(
      workloads.map((w) => [w.name, w.kind, w.replicas, w.surge]),
      [
        ['gatus-web', 'Deployment', { known: true, count: 3 }, 1],
        [
          'gatus-worker',
          'StatefulSet',
          { known: false, assumed: 2, reason: 'controllers.worker.replicas is ${WORKER_REPLICAS:=2}, set by Flux substitution; counted as its default 2' },
          0,
        ],
        ['gatus-agent', 'DaemonSet', { known: true, count: 1 }, 0],
        ['gatus-backup', 'CronJob', { known: true, count: 2 }, 0],
      ],
    );
    assert.deepEqual(workloads[2]!.notes, ['a DaemonSet runs one pod per node and the node count is unknown: counted as 1 pod']);
    const claim = workloads[1]!.claimsPerReplica[0]!;
    assert.deepEqual([claim.name, claim.storageClassName, formatQuantity(claim.storage!, 'storage')], ['cache', 'ceph-block', '5Gi']);
    assert.deepEqual(claim.path, ['spec', 'values', 'controllers', 'worker', 'statefulset', 'volumeClaimTemplates', 0]);
  });

  it('orders init containers by name, as the chart renders them', () => {
    const values = `
controllers:
  main:
    initContainers:
      z-proxy: {restartPolicy: Always, resources: {requests: {cpu: 500m}}}
      a-migrate: {resources: {requests: {cpu: "1"}}}
    containers:
      app: {resources: {requests: {cpu: 100m}}}
`;
    const [w] = estimateHelmReleaseWorkloads(helmRelease(values));
    assert.deepEqual(w!.containers.map((c) => c.name), ['a-migrate', 'z-proxy', 'app']);
    // a-migrate runs before the proxy starts, so it does not stack on it: max(1, 100m + 500m).
    assert.equal(show(w!.requests), 'cpu=1');
  });

  it('names controllers as the chart does', () => {
    const names = (values: string) => estimateHelmReleaseWorkloads(helmRelease(values)).map((w) => w.name);
    assert.deepEqual(names('controllers: {main: {containers: {app: {}}}}'), ['gatus']);
    assert.deepEqual(names('controllers: {gatus: {containers: {app: {}}}, sync: {containers: {app: {}}}}'), ['gatus', 'gatus-sync']);
    assert.deepEqual(names('global: {fullnameOverride: status}\ncontrollers: {main: {nameOverride: web, containers: {app: {}}}}'), ['status-web']);
  });

  it('skips disabled containers and counts an HPA at its maximum', () => {
    const values = `
controllers:
  main:
    horizontalPodAutoscaler: {minReplicas: 1, maxReplicas: 5}
    containers:
      app: {resources: {requests: {cpu: 100m}}}
      debug: {enabled: false, resources: {requests: {cpu: 4}}}
`;
    const [w] = estimateHelmReleaseWorkloads(helmRelease(values));
    assert.deepEqual(w!.replicas, { known: true, count: 5 });
    assert.deepEqual(w!.notes, ['autoscaled: counted at maxReplicas 5']);
    assert.equal(show(w!.requests), 'cpu=100m');
  });

  it('applies defaultContainerOptions resources, overwritten or merged', () => {
    const values = (strategy: string) => `
controllers:
  main:
    defaultContainerOptionsStrategy: ${strategy}
    defaultContainerOptions:
      resources: {requests: {cpu: 10m, memory: 32Mi}}
    initContainers:
      init: {}
    containers:
      app: {resources: {requests: {memory: 1Gi}}}
      helper: {}
`;
    const overwrite = estimateHelmReleaseWorkloads(helmRelease(values('overwrite')))[0]!;
    assert.deepEqual(overwrite.containers.map((c) => show(c.requests)), ['cpu=10m memory=32Mi', 'memory=1Gi', 'cpu=10m memory=32Mi']);
    const merge = estimateHelmReleaseWorkloads(helmRelease(values('merge')))[0]!;
    assert.deepEqual(merge.containers.map((c) => show(c.requests)), ['cpu=10m memory=32Mi', 'cpu=10m memory=1Gi', 'cpu=10m memory=32Mi']);
  });

  it('notes that valuesFrom may change the estimate', () => {
    const hr = helmRelease(gatus, '  valuesFrom:\n    - {kind: ConfigMap, name: gatus-values}');
    assert.deepEqual(estimateHelmReleaseWorkloads(hr)[0]!.notes, ['spec.valuesFrom may override these values; they were not read']);
  });

  it('lists the PVCs persistence creates, not existing claims nor other volume types', () => {
    const values = `
controllers:
  main: {containers: {app: {}}}
persistence:
  config: {storageClass: ceph-block, accessMode: ReadWriteOnce, size: 1Gi, globalMounts: [{path: /config}]}
  media: {existingClaim: media}
  tmp: {type: emptyDir}
  off: {enabled: false, size: 9Gi}
`;
    const claims = estimateHelmReleaseClaims(helmRelease(values));
    assert.deepEqual(
      claims.map((c) => [c.name, c.storageClassName, formatQuantity(c.storage!, 'storage'), c.path]),
      [['gatus-config', 'ceph-block', '1Gi', ['spec', 'values', 'persistence', 'config']]],
    );
  });
});

describe('estimateHelmReleaseWorkloads: chart conventions', () => {
  it('reads top-level resources with replicaCount (modelled on ocharted)', () => {
    const values = `
replicaCount: 2
podDisruptionBudget: {enabled: true}
resources:
  requests: {cpu: 10m}
  limits: {memory: 512Mi}
`;
    const workloads = estimateHelmReleaseWorkloads(helmRelease(values));
    assert.deepEqual(
      workloads.map((w) => [w.name, w.kind, w.replicas, show(w.requests), show(w.limits), w.containers[0]!.path]),
      [['gatus', 'Deployment', { known: true, count: 2 }, 'cpu=10m memory=512Mi', 'memory=512Mi', ['spec', 'values']]],
    );
    assert.deepEqual(workloads[0]!.notes, ['the workload kind is not in the chart values: counted as a Deployment']);
  });

  it('reads first-level components with their own resources (modelled on cert-manager)', () => {
    const values = `
crds: {enabled: true}
replicaCount: 1
resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 128Mi}}
webhook:
  replicaCount: 2
  resources: {requests: {cpu: 10m, memory: 32Mi}}
cainjector:
  enabled: false
  resources: {requests: {cpu: 10m}}
startupapicheck:
  setupJob: {}
setupJob:
  resources: {requests: {cpu: 100m}}
prometheus:
  prometheusSpec:
    resources: {requests: {memory: 2Gi}}
    storageSpec:
      volumeClaimTemplate: {spec: {resources: {requests: {storage: 50Gi}}}}
cephClusterSpec:
  resources:
    mgr: {requests: {cpu: 100m}}
pvc:
  resources: {requests: {storage: 10Gi}}
`;
    const workloads = estimateHelmReleaseWorkloads(helmRelease(values));
    assert.deepEqual(
      workloads.map((w) => [w.name, w.kind, w.replicas, w.containers[0]!.path]),
      [
        ['gatus', 'Deployment', { known: true, count: 1 }, ['spec', 'values']],
        ['gatus-webhook', 'Deployment', { known: true, count: 2 }, ['spec', 'values', 'webhook']],
        ['gatus-setupJob', 'Job', { known: true, count: 1 }, ['spec', 'values', 'setupJob']],
      ],
    );
  });

  it('counts an autoscaled chart at maxReplicas, or says it cannot', () => {
    const values = (max: string) => `
resources: {requests: {cpu: 100m}}
autoscaling: {enabled: true, minReplicas: 1${max}}
`;
    assert.deepEqual(estimateHelmReleaseWorkloads(helmRelease(values(', maxReplicas: 3')))[0]!.replicas, { known: true, count: 3 });
    assert.deepEqual(estimateHelmReleaseWorkloads(helmRelease(values('')))[0]!.replicas, {
      known: false,
      assumed: 1,
      reason: 'autoscaling is enabled without a readable maxReplicas',
    });
  });

  it('reads a DaemonSet kind beside the resources', () => {
    const [w] = estimateHelmReleaseWorkloads(helmRelease('kind: DaemonSet\nresources: {requests: {cpu: 50m}}'));
    assert.equal(w!.kind, 'DaemonSet');
    assert.deepEqual(w!.notes, ['a DaemonSet runs one pod per node and the node count is unknown: counted as 1 pod']);
  });

  it('says nothing about a chart whose values set no resources', () => {
    assert.deepEqual(estimateHelmReleaseWorkloads(helmRelease('replicaCount: 2\nresources: {}\nimage: {tag: v1}')), []);
    assert.deepEqual(estimateHelmReleaseWorkloads(parse('kind: Kustomization\nspec: {values: {resources: {requests: {cpu: 1}}}}')), []);
  });

  it('uses spec.releaseName for names when set', () => {
    const hr = helmRelease('resources: {requests: {cpu: 1}}', '  releaseName: status');
    assert.equal(estimateHelmReleaseWorkloads(hr)[0]!.name, 'status');
  });
});
