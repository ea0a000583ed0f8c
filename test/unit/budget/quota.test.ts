import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { workloadBudget } from '../../../server/src/budget/pod';
import { claimBudget } from '../../../server/src/budget/claims';
import { admissionGaps, admissionRefusal, quotaUsage, readResourceQuota, type ResourceQuotaSpec } from '../../../server/src/budget/quota';
import type { WorkloadBudget } from '../../../server/src/budget/types';

function quota(spec: string): ResourceQuotaSpec {
  const q = readResourceQuota(parse(`apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: budget}\nspec:\n${spec}`));
  assert.ok(q);
  return q;
}

function deployment(name: string, replicas: number | string, resources: string, podExtra = ''): WorkloadBudget {
  const w = workloadBudget(
    parse(`
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  template:
    spec:
${podExtra.replace(/^/gm, '      ')}
      containers:
        - name: app
          resources: ${resources}
`),
  );
  assert.ok(w);
  return w;
}

const web = deployment('web', 6, '{requests: {cpu: 500m, memory: 256Mi}, limits: {memory: 512Mi}}');
const worker = deployment('worker', 1, '{requests: {cpu: 250m, memory: 1Gi}, limits: {cpu: 1, memory: 1Gi}}');

function explanations(spec: string, workloads: WorkloadBudget[], options?: Parameters<typeof quotaUsage>[2]): string[] {
  return quotaUsage(quota(spec), workloads, options).resources.map((r) => r.explanation);
}

describe('quotaUsage: arithmetic', () => {
  it('shows the arithmetic of an exceeded hard value', () => {
    const usage = quotaUsage(quota('  hard: {requests.cpu: "2"}'), [web]);
    assert.equal(usage.resources.length, 1);
    const cpu = usage.resources[0]!;
    assert.equal(cpu.explanation, 'requests.cpu 3 needed (6 × 500m web) > hard 2');
    assert.equal(cpu.exceeded, true);
    assert.deepEqual(
      cpu.contributions.map((c) => [c.workload, c.replicas, c.perPod.nanos, c.total.nanos]),
      [['web', 6, 500_000_000n, 3_000_000_000n]],
    );
  });

  it('joins several contributions with +, and says when it fits', () => {
    assert.deepEqual(explanations('  hard: {cpu: "4", limits.memory: 4Gi, requests.memory: 2Gi, pods: "10"}', [web, worker]), [
      'cpu 3.25 needed (6 × 500m web + 1 × 250m worker) ≤ hard 4',
      'limits.memory 4Gi needed (6 × 512Mi web + 1 × 1Gi worker) ≤ hard 4Gi',
      'requests.memory 2560Mi needed (6 × 256Mi web + 1 × 1Gi worker) > hard 2Gi',
      'pods 7 needed (6 web + 1 worker) ≤ hard 10',
    ]);
  });

  it('leaves out workloads that do not use the resource', () => {
    assert.deepEqual(explanations('  hard: {limits.cpu: "500m"}', [web, worker]), [
      'limits.cpu 1 needed (1 × 1 worker) > hard 500m',
    ]);
    assert.deepEqual(explanations('  hard: {requests.nvidia.com/gpu: "1"}', [web]), ['requests.nvidia.com/gpu 0 needed ≤ hard 1']);
  });

  it('shows per-pod values as written and a mixed-unit total rounded up with ~', () => {
    const small = deployment('small', 2, '{requests: {memory: 36M}}');
    assert.deepEqual(explanations('  hard: {requests.memory: 1Gi}', [small, worker]), [
      'requests.memory ~1.07Gi needed (2 × 36M small + 1 × 1Gi worker) > hard 1Gi',
    ]);
  });

  it('marks an assumed replica count with ?', () => {
    const unknown = deployment('api', '${API_REPLICAS}', '{requests: {cpu: 100m}}');
    assert.deepEqual(explanations('  hard: {requests.cpu: 1}', [unknown]), ['requests.cpu 100m needed (1? × 100m api) ≤ hard 1']);
  });

  it('adds surge pods when asked, for a rolling update', () => {
    assert.deepEqual(explanations('  hard: {requests.cpu: "3"}', [web], { includeSurge: true }), [
      'requests.cpu 4 needed ((6 + 2 surge) × 500m web) > hard 3',
    ]);
  });

  it('lists hard names it cannot count from workloads', () => {
    const usage = quotaUsage(quota('  hard: {services: "5", secrets: "10", requests.cpu: 1}'), [web]);
    assert.deepEqual(usage.notEvaluated, ['services', 'secrets']);
  });

  it('counts extended resources, hugepages and ephemeral storage by their quota names', () => {
    const gpu = deployment('ml', 2, '{requests: {nvidia.com/gpu: 1, hugepages-2Mi: 4Mi, ephemeral-storage: 1Gi}, limits: {nvidia.com/gpu: 1, ephemeral-storage: 2Gi}}');
    assert.deepEqual(
      explanations('  hard: {requests.nvidia.com/gpu: "1", hugepages-2Mi: 8Mi, requests.ephemeral-storage: 1Gi, limits.ephemeral-storage: 4Gi}', [gpu]),
      [
        'requests.nvidia.com/gpu 2 needed (2 × 1 ml) > hard 1',
        'hugepages-2Mi 8Mi needed (2 × 4Mi ml) ≤ hard 8Mi',
        'requests.ephemeral-storage 2Gi needed (2 × 1Gi ml) > hard 1Gi',
        'limits.ephemeral-storage 4Gi needed (2 × 2Gi ml) ≤ hard 4Gi',
      ],
    );
  });

  it('sums exactly: used is the sum of replicas × perPod', () => {
    const workloadArb = fc.record({ replicas: fc.integer({ min: 0, max: 50 }), millis: fc.integer({ min: 1, max: 100_000 }) });
    fc.assert(
      fc.property(fc.array(workloadArb, { maxLength: 6 }), (specs) => {
        const workloads = specs.map((s, i) => deployment(`w${i}`, s.replicas, `{requests: {cpu: ${s.millis}m}}`));
        const [usage] = quotaUsage(quota('  hard: {requests.cpu: "10"}'), workloads).resources;
        const expected = specs.reduce((a, s) => a + BigInt(s.replicas * s.millis) * 1_000_000n, 0n);
        return usage!.used.nanos === expected && usage!.exceeded === expected > 10_000_000_000n;
      }),
      { numRuns: 100 },
    );
  });
});

describe('quotaUsage: object counts and claims', () => {
  const db = workloadBudget(
    parse(`
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  template: {spec: {containers: [{name: db}]}}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {storageClassName: fast, resources: {requests: {storage: 10Gi}}}
`),
  )!;
  const uploads = claimBudget(parse('kind: PersistentVolumeClaim\nmetadata: {name: uploads}\nspec: {resources: {requests: {storage: 5Gi}}}'))!;

  it('reads only PersistentVolumeClaims as claims', () => {
    assert.equal(claimBudget(parse('kind: ConfigMap\nmetadata: {name: uploads}\nspec: {resources: {requests: {storage: 5Gi}}}')), undefined);
    assert.deepEqual(uploads.path, []);
  });

  it('counts workload objects by kind', () => {
    assert.deepEqual(explanations('  hard: {count/deployments.apps: "1", count/statefulsets.apps: "2"}', [web, worker, db]), [
      'count/deployments.apps 2 needed (1 web + 1 worker) > hard 1',
      'count/statefulsets.apps 1 needed (1 db) ≤ hard 2',
    ]);
  });

  it('counts claim templates per replica and standalone claims', () => {
    assert.deepEqual(
      explanations(
        '  hard: {persistentvolumeclaims: "3", requests.storage: 50Gi, fast.storageclass.storage.k8s.io/requests.storage: 20Gi}',
        [db],
        { claims: [uploads] },
      ),
      [
        'persistentvolumeclaims 4 needed (3 data-db + 1 uploads) > hard 3',
        'requests.storage 35Gi needed (3 × 10Gi data-db + 1 × 5Gi uploads) ≤ hard 50Gi',
        'fast.storageclass.storage.k8s.io/requests.storage 30Gi needed (3 × 10Gi data-db) > hard 20Gi',
      ],
    );
  });

  it('does not count objects or claims against a scoped quota', () => {
    assert.deepEqual(explanations('  scopes: [NotTerminating]\n  hard: {count/statefulsets.apps: "1", requests.storage: 1Gi}', [db], { claims: [uploads] }), [
      'count/statefulsets.apps 0 needed ≤ hard 1',
      'requests.storage 0 needed ≤ hard 1Gi',
    ]);
  });
});

describe('quotaUsage: scopes', () => {
  const job = deployment('migrate', 1, '{requests: {cpu: 1}}', 'activeDeadlineSeconds: 300\npriorityClassName: batch');
  const idle = deployment('idle', 2, '{}');
  const critical = deployment('critical', 1, '{requests: {cpu: 2}}', 'priorityClassName: high');
  const all = [web, job, idle, critical];
  const counted = (scopes: string) => {
    const usage = quotaUsage(quota(`${scopes}\n  hard: {pods: "100"}`), all);
    return usage.resources[0]!.contributions.map((c) => c.workload);
  };

  it('counts every pod without scopes', () => {
    assert.deepEqual(counted(''), ['web', 'migrate', 'idle', 'critical']);
  });

  it('selects terminating pods by activeDeadlineSeconds', () => {
    assert.deepEqual(counted('  scopes: [Terminating]'), ['migrate']);
    assert.deepEqual(counted('  scopes: [NotTerminating]'), ['web', 'idle', 'critical']);
  });

  it('selects best-effort pods by their QoS class', () => {
    assert.deepEqual(counted('  scopes: [BestEffort]'), ['idle']);
    assert.deepEqual(counted('  scopes: [NotBestEffort, NotTerminating]'), ['web', 'critical']);
  });

  it('selects by priority class with In, NotIn, Exists and DoesNotExist', () => {
    const selector = (expression: string) => `  scopeSelector:\n    matchExpressions:\n      - ${expression}`;
    assert.deepEqual(counted(selector('{scopeName: PriorityClass, operator: In, values: [high, batch]}')), ['migrate', 'critical']);
    assert.deepEqual(counted(selector('{scopeName: PriorityClass, operator: NotIn, values: [high]}')), ['web', 'migrate', 'idle']);
    assert.deepEqual(counted(selector('{scopeName: PriorityClass, operator: Exists}')), ['migrate', 'critical']);
    assert.deepEqual(counted(selector('{scopeName: PriorityClass, operator: DoesNotExist}')), ['web', 'idle']);
    assert.deepEqual(counted(selector('{scopeName: PriorityClass, operator: In, values: [""]}')), []);
  });

  it('names the workloads a scope leaves out', () => {
    assert.deepEqual(quotaUsage(quota('  scopes: [Terminating]\n  hard: {pods: "1"}'), all).outOfScope, ['web', 'idle', 'critical']);
  });
});

describe('admissionGaps', () => {
  const sidecarPod = workloadBudget(
    parse(`
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      initContainers:
        - {name: migrate, resources: {requests: {cpu: 100m}}}
      containers:
        - {name: app, resources: {limits: {cpu: 1, memory: 1Gi}}}
`),
  )!;

  it('lists containers, init ones too, that miss a quota-tracked request or limit', () => {
    const gaps = admissionGaps(quota('  hard: {requests.cpu: "4", memory: 4Gi, limits.cpu: "4"}'), [sidecarPod]);
    assert.deepEqual(
      gaps.map((g) => [g.workload, g.container.name, g.container.path, g.missing]),
      [['app', 'migrate', ['spec', 'template', 'spec', 'initContainers', 0], ['limits.cpu', 'memory']]],
    );
    assert.equal(admissionRefusal(gaps), 'must specify limits.cpu for: migrate; memory for: migrate');
  });

  it('words the refusal as the API server does, one resource per clause', () => {
    const bare = workloadBudget(parse('kind: Pod\nmetadata: {name: p}\nspec: {initContainers: [{name: init}], containers: [{name: app, resources: {requests: {cpu: 1}}}]}'))!;
    const gaps = admissionGaps(quota('  hard: {requests.cpu: "4", limits.memory: 4Gi}'), [bare]);
    assert.equal(admissionRefusal(gaps), 'must specify limits.memory for: app,init; requests.cpu for: init');
  });

  it('asks nothing when the quota tracks neither cpu nor memory', () => {
    assert.deepEqual(admissionGaps(quota('  hard: {pods: "4", requests.storage: 1Gi}'), [sidecarPod]), []);
  });

  it('is satisfied by LimitRange defaults', () => {
    const defaults = parse('kind: LimitRange\nspec: {limits: [{type: Container, default: {cpu: 500m, memory: 512Mi}}]}');
    const w = workloadBudget(parse('kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}'), { limitRanges: [defaults] })!;
    assert.deepEqual(admissionGaps(quota('  hard: {requests.cpu: "1", limits.memory: 1Gi}'), [w]), []);
  });
});

describe('readResourceQuota', () => {
  it('reads hard values and reports unparsable ones', () => {
    const q = quota('  hard: {requests.cpu: "2", limits.memory: 4 Gi}');
    assert.deepEqual([...q.hard.keys()], ['requests.cpu']);
    assert.deepEqual(q.problems, [
      { path: ['spec', 'hard', 'limits.memory'], message: 'limits.memory: "4 Gi" is not a Kubernetes quantity: unexpected " " after "4"' },
    ]);
    assert.equal(readResourceQuota(parse('kind: LimitRange')), undefined);
  });
});
