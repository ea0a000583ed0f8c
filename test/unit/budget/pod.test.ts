import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { autoscalerTarget } from '../../../server/src/budget/autoscaler';
import { containerDefaults } from '../../../server/src/budget/limitrange';
import { workloadBudget } from '../../../server/src/budget/pod';
import { formatQuantity } from '../../../server/src/budget/quantity-format';
import type { BudgetProblem, ResourceList, WorkloadBudget } from '../../../server/src/budget/types';

function budget(yaml: string, options?: Parameters<typeof workloadBudget>[1]): WorkloadBudget {
  const result = workloadBudget(parse(yaml), options);
  assert.ok(result, 'expected a workload');
  return result;
}

/** A resource list as `name=value` pairs in a stable order, for exact comparison. */
function show(list: ResourceList): string {
  return [...list]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, q]) => `${name}=${formatQuantity(q, name)}`)
    .join(' ');
}

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: app
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {memory: 512Mi}
        - name: metrics
          resources:
            limits: {cpu: 100m, memory: 64Mi}
        - name: shell
`;

describe('workloadBudget: pod count', () => {
  it('reads spec.replicas and sums app containers per pod', () => {
    const w = budget(deployment);
    assert.deepEqual(w.replicas, { known: true, count: 3 });
    assert.equal(show(w.requests), 'cpu=350m memory=320Mi');
    assert.equal(show(w.limits), 'cpu=100m memory=576Mi');
    assert.deepEqual(w.notes, []);
  });

  it('defaults replicas to 1', () => {
    const w = budget(deployment.replace('replicas: 3', ''));
    assert.deepEqual(w.replicas, { known: true, count: 1 });
  });

  it('keeps replicas 0 as no pods', () => {
    assert.deepEqual(budget(deployment.replace('replicas: 3', 'replicas: 0')).replicas, { known: true, count: 0 });
  });

  it('reports a Flux substitution as unknown, counted as its default', () => {
    const w = budget(deployment.replace('replicas: 3', 'replicas: ${WEB_REPLICAS:=2}'));
    const reason = 'spec.replicas is ${WEB_REPLICAS:=2}, set by Flux substitution; counted as its default 2';
    assert.deepEqual(w.replicas, { known: false, assumed: 2, reason });
    assert.deepEqual(w.notes, [reason]);
  });

  it('reports a substitution without default as unknown, counted as 1', () => {
    const w = budget(deployment.replace('replicas: 3', 'replicas: ${WEB_REPLICAS}'));
    assert.deepEqual(w.replicas, {
      known: false,
      assumed: 1,
      reason: 'spec.replicas is ${WEB_REPLICAS}, set by Flux substitution; counted as 1',
    });
  });

  it('reports a non-integer replica count', () => {
    assert.deepEqual(budget(deployment.replace('replicas: 3', 'replicas: 1.5')).replicas, {
      known: false,
      assumed: 1,
      reason: 'spec.replicas 1.5 is not a whole number of pods',
    });
    assert.deepEqual(budget(deployment.replace('replicas: 3', 'replicas: "4"')).replicas, {
      known: false,
      assumed: 4,
      reason: 'spec.replicas "4" is a string, not a number',
    });
  });

  it('lets the caller count an HPA maximum instead', () => {
    assert.deepEqual(budget(deployment, { replicas: 10 }).replicas, { known: true, count: 10 });
  });

  it('counts one DaemonSet pod and says why', () => {
    const w = budget(deployment.replace('kind: Deployment', 'kind: DaemonSet'));
    assert.deepEqual(w.replicas, { known: true, count: 1 });
    assert.deepEqual(w.notes, ['a DaemonSet runs one pod per node and the node count is unknown: counted as 1 pod']);
  });

  it('counts a Job as min(parallelism, completions)', () => {
    const job = (spec: string) => budget(`kind: Job\nmetadata: {name: j}\nspec:\n${spec}\n  template: {spec: {containers: [{name: c}]}}`);
    assert.deepEqual(job('  parallelism: 4\n  completions: 10').replicas, { known: true, count: 4 });
    assert.deepEqual(job('  parallelism: 4\n  completions: 2').replicas, { known: true, count: 2 });
    assert.deepEqual(job('  completions: 5').replicas, { known: true, count: 1 });
    assert.deepEqual(job('  parallelism: 3').replicas, { known: true, count: 3 });
    assert.deepEqual(job('  suspend: true\n  parallelism: 3').replicas, { known: true, count: 0 });
  });

  it('reads a CronJob through its jobTemplate', () => {
    const w = budget(`
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "@daily"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      parallelism: 2
      template:
        spec:
          containers:
            - name: backup
              resources: {requests: {cpu: 50m}}
`);
    assert.deepEqual(w.replicas, { known: true, count: 2 });
    assert.deepEqual(w.podPath, ['spec', 'jobTemplate', 'spec', 'template', 'spec']);
    assert.deepEqual(w.containers[0]!.path, ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 0]);
    assert.equal(show(w.requests), 'cpu=50m');
    assert.deepEqual(w.notes, []);
  });

  it('notes that a CronJob allowing overlap is counted one run at a time', () => {
    const w = budget(`kind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate: {spec: {template: {spec: {containers: [{name: c}]}}}}`);
    assert.deepEqual(w.notes, ['concurrencyPolicy Allow lets runs overlap: counted as one run at a time']);
  });

  it('reads a bare Pod and a ReplicationController', () => {
    const pod = budget(`kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, resources: {requests: {cpu: 1}}}]}`);
    assert.deepEqual(pod.replicas, { known: true, count: 1 });
    assert.deepEqual(pod.containers[0]!.path, ['spec', 'containers', 0]);
    const rc = budget(deployment.replace('kind: Deployment', 'kind: ReplicationController'));
    assert.equal(rc.kind, 'ReplicationController');
    assert.deepEqual(rc.replicas, { known: true, count: 3 });
  });

  it('ignores objects that run no pods', () => {
    assert.equal(workloadBudget(parse('kind: ConfigMap\nmetadata: {name: c}')), undefined);
    assert.equal(workloadBudget('not an object'), undefined);
  });
});

describe('workloadBudget: rollout surge', () => {
  it('defaults a Deployment to maxSurge 25%, rounded up', () => {
    assert.equal(budget(deployment).surge, 1);
    assert.equal(budget(deployment.replace('replicas: 3', 'replicas: 8')).surge, 2);
  });

  it('reads maxSurge as a count or a percentage, and Recreate as none', () => {
    const withStrategy = (strategy: string) => budget(deployment.replace('replicas: 3', `replicas: 3\n  strategy: ${strategy}`));
    assert.equal(withStrategy('{rollingUpdate: {maxSurge: 2}}').surge, 2);
    assert.equal(withStrategy('{rollingUpdate: {maxSurge: "50%"}}').surge, 2);
    assert.equal(withStrategy('{type: Recreate}').surge, 0);
    assert.equal(budget(deployment.replace('kind: Deployment', 'kind: StatefulSet')).surge, 0);
  });
});

describe('workloadBudget: containers without requests or limits', () => {
  it('reports each container with its path', () => {
    const w = budget(deployment);
    const gaps = w.containers.map((c) => [c.name, c.setsNoRequests, c.setsNoLimits, c.path]);
    assert.deepEqual(gaps, [
      ['app', false, false, ['spec', 'template', 'spec', 'containers', 0]],
      ['metrics', true, false, ['spec', 'template', 'spec', 'containers', 1]],
      ['shell', true, true, ['spec', 'template', 'spec', 'containers', 2]],
    ]);
  });

  it('defaults a request to its limit, as the API server does', () => {
    const metrics = budget(deployment).containers[1]!;
    assert.equal(show(metrics.requests), 'cpu=100m memory=64Mi');
  });

  it('reports an unparsable quantity with its path and leaves it out', () => {
    const w = budget(deployment.replace('cpu: 250m', 'cpu: 250 m'));
    assert.deepEqual(w.problems, [
      {
        path: ['spec', 'template', 'spec', 'containers', 0, 'resources', 'requests', 'cpu'],
        message: 'cpu: "250 m" is not a Kubernetes quantity: unexpected " " after "250"',
      },
    ]);
    assert.equal(show(w.requests), 'cpu=100m memory=320Mi');
  });

  it('leaves out a substituted quantity without a default, and says so', () => {
    const w = budget(deployment.replace('cpu: 250m', `cpu: '\${WEB_CPU}m'`));
    assert.deepEqual(w.problems, [
      {
        path: ['spec', 'template', 'spec', 'containers', 0, 'resources', 'requests', 'cpu'],
        message: 'cpu is ${WEB_CPU}m, set by Flux substitution; not counted',
        substituted: true,
      },
    ]);
    assert.equal(show(w.requests), 'cpu=100m memory=320Mi');
  });

  it('counts a partly substituted quantity with its default', () => {
    const w = budget(deployment.replace('cpu: 250m', `cpu: '\${WEB_CPU:=300}m'`));
    assert.equal(w.problems[0]!.message, 'cpu is ${WEB_CPU:=300}m, set by Flux substitution; counted as its default 300m');
    assert.equal(show(w.requests), 'cpu=400m memory=320Mi');
  });

  it('counts a substituted quantity as its default and says so', () => {
    const w = budget(deployment.replace('memory: 512Mi', `memory: '\${WEB_MEMORY:="1Gi"}'`));
    assert.deepEqual(w.problems, [
      {
        path: ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'memory'],
        message: 'memory is ${WEB_MEMORY:="1Gi"}, set by Flux substitution; counted as its default 1Gi',
        substituted: true,
      },
    ]);
    assert.equal(show(w.limits), 'cpu=100m memory=1088Mi');
  });
});

describe('workloadBudget: init containers and sidecars', () => {
  const pod = `
kind: Pod
metadata: {name: p}
spec:
  overhead: {cpu: 10m, memory: 5Mi}
  initContainers:
    - name: init-a
      resources: {requests: {cpu: "1", memory: 100Mi}, limits: {cpu: "1", memory: 100Mi}}
    - name: proxy
      restartPolicy: Always
      resources: {requests: {cpu: 200m, memory: 50Mi}, limits: {memory: 50Mi}}
    - name: init-b
      resources: {requests: {cpu: 500m, memory: 400Mi}}
  containers:
    - name: app
      resources: {requests: {cpu: 300m, memory: 128Mi}, limits: {cpu: 2, memory: 1Gi}}
    - name: log
      resources: {requests: {cpu: 100m, memory: 64Mi}}
`;

  it('takes the larger of the running pod and each init step beside earlier sidecars, plus overhead', () => {
    const w = budget(pod);
    // Running: app + log + proxy = 600m / 242Mi; init-a alone = 1 / 100Mi; init-b + proxy = 700m / 450Mi.
    assert.equal(show(w.requests), 'cpu=1.01 memory=455Mi');
    // Limits: running = app 2 + proxy memory 50Mi; init-a = 1 / 100Mi; init-b has none, + proxy 50Mi.
    assert.equal(show(w.limits), 'cpu=2.01 memory=1079Mi');
    assert.deepEqual(
      w.containers.map((c) => [c.name, c.role]),
      [
        ['init-a', 'init'],
        ['proxy', 'sidecar'],
        ['init-b', 'init'],
        ['app', 'container'],
        ['log', 'container'],
      ],
    );
    assert.deepEqual(w.containers[1]!.path, ['spec', 'initContainers', 1]);
  });

  it('adds overhead to limits only where a limit exists', () => {
    const w = budget(pod.replace('limits: {cpu: 2, memory: 1Gi}', 'limits: {memory: 1Gi}').replace('limits: {cpu: "1", memory: 100Mi}', 'limits: {memory: 100Mi}'));
    assert.equal(show(w.limits), 'memory=1079Mi');
  });

  it('lets pod-level resources replace the container sum for cpu and memory', () => {
    const w = budget(pod.replace('overhead: {cpu: 10m, memory: 5Mi}', 'resources: {limits: {cpu: 4}, requests: {memory: 2Gi}}'));
    assert.equal(show(w.requests), 'cpu=4 memory=2Gi');
    assert.equal(show(w.limits), 'cpu=4 memory=1074Mi');
  });
});

describe('workloadBudget: LimitRange defaults', () => {
  const limitRange = parse(`
kind: LimitRange
metadata: {name: defaults}
spec:
  limits:
    - type: Container
      default: {cpu: 500m, memory: 256Mi}
      defaultRequest: {cpu: 100m}
    - type: Pod
      max: {cpu: 8}
`);

  it('fills limits from default and requests from defaultRequest, else from default', () => {
    const shell = budget(deployment, { limitRanges: [limitRange] }).containers[2]!;
    assert.equal(show(shell.requests), 'cpu=100m memory=256Mi');
    assert.equal(show(shell.limits), 'cpu=500m memory=256Mi');
    assert.deepEqual(shell.defaultedFrom, ['limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);
    assert.equal(shell.setsNoRequests, true, 'what the manifest says is still reported');
  });

  it('never overrides what a container sets, nor a request defaulted from its limit', () => {
    const metrics = budget(deployment, { limitRanges: [limitRange] }).containers[1]!;
    assert.equal(show(metrics.requests), 'cpu=100m memory=64Mi');
    assert.deepEqual(metrics.defaultedFrom, []);
    const app = budget(deployment, { limitRanges: [limitRange] }).containers[0]!;
    assert.equal(show(app.limits), 'cpu=500m memory=512Mi');
    assert.deepEqual(app.defaultedFrom, ['limits.cpu']);
  });

  it('defaults the limit from max and the request from min', () => {
    const ranges = [parse('kind: LimitRange\nspec: {limits: [{type: Container, max: {cpu: 2}, min: {memory: 32Mi}}]}')];
    const shell = budget(deployment, { limitRanges: ranges }).containers[2]!;
    assert.equal(show(shell.limits), 'cpu=2');
    assert.equal(show(shell.requests), 'cpu=2 memory=32Mi');
  });

  it('reports a LimitRange value it cannot read on the LimitRange, not on the workload', () => {
    const broken = parse('kind: LimitRange\nspec: {limits: [{type: Container, default: {cpu: 1 core, memory: 1Gi}}]}');
    const problems: BudgetProblem[] = [];
    const defaults = containerDefaults([broken], problems);
    assert.equal(show(defaults.limits), 'memory=1Gi');
    assert.deepEqual(problems, [
      { path: ['spec', 'limits', 0, 'default', 'cpu'], message: 'cpu: "1 core" is not a Kubernetes quantity: unexpected " " after "1"' },
    ]);
    assert.deepEqual(budget(deployment, { limitRanges: [broken] }).problems, []);
  });

  it('lets the first LimitRange win, and a later item within one LimitRange', () => {
    const first = parse('kind: LimitRange\nspec: {limits: [{type: Container, default: {cpu: 1}}, {type: Container, default: {cpu: 3}}]}');
    const second = parse('kind: LimitRange\nspec: {limits: [{type: Container, default: {cpu: 2, memory: 1Gi}}]}');
    const shell = budget(deployment, { limitRanges: [first, second] }).containers[2]!;
    assert.equal(show(shell.limits), 'cpu=3 memory=1Gi');
  });
});

describe('workloadBudget: what quota scopes see', () => {
  it('reads terminating, best-effort, priority class and cross-namespace affinity', () => {
    const w = budget(`
kind: Pod
metadata: {name: p}
spec:
  activeDeadlineSeconds: 600
  priorityClassName: high
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 1
          podAffinityTerm: {topologyKey: x, namespaceSelector: {}}
  containers: [{name: c}]
`);
    assert.deepEqual(w.scope, { terminating: true, bestEffort: true, priorityClassName: 'high', crossNamespacePodAffinity: true });
  });

  it('sees cross-namespace affinity through a namespaces list too', () => {
    const w = budget(`
kind: Pod
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - {topologyKey: x, namespaces: [other]}
  containers: [{name: c}]
`);
    assert.equal(w.scope.crossNamespacePodAffinity, true);
    assert.equal(budget(deployment).scope.crossNamespacePodAffinity, false);
  });

  it('is not best-effort once any container asks for cpu or memory', () => {
    assert.equal(budget(deployment).scope.bestEffort, false);
    const onlyEphemeral = `kind: Pod\nspec: {containers: [{name: c, resources: {requests: {ephemeral-storage: 1Gi}}}]}`;
    assert.equal(budget(onlyEphemeral).scope.bestEffort, true);
    assert.equal(budget(onlyEphemeral, { limitRanges: [parse('kind: LimitRange\nspec: {limits: [{type: Container, default: {memory: 1Gi}}]}')] }).scope.bestEffort, false);
  });
});

describe('workloadBudget: StatefulSet claims', () => {
  it('reads volumeClaimTemplates as claims per replica', () => {
    const w = budget(`
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  template: {spec: {containers: [{name: db}]}}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {storageClassName: fast, resources: {requests: {storage: 10Gi}}}
`);
    assert.equal(w.claimsPerReplica.length, 1);
    const claim = w.claimsPerReplica[0]!;
    assert.equal(claim.name, 'data');
    assert.equal(claim.storageClassName, 'fast');
    assert.equal(formatQuantity(claim.storage!, 'storage'), '10Gi');
    assert.deepEqual(claim.path, ['spec', 'volumeClaimTemplates', 0]);
  });
});

// Reference for the scheduler's pod requests, written from the KEP-753 formula rather than as a loop
// over running lists: max(sum of app containers and all sidecars, max over init i of
// (init i + sidecars declared before i), max over sidecar i of the sidecars up to i).
describe('workloadBudget: init/sidecar maths against a reference', () => {
  const containerArb = fc.record({
    kind: fc.constantFrom('init', 'sidecar', 'app'),
    millis: fc.integer({ min: 0, max: 5000 }),
  });
  it('matches the formula for any mix of containers', () => {
    fc.assert(
      fc.property(fc.array(containerArb, { maxLength: 8 }), (list) => {
        const init = list.filter((c) => c.kind !== 'app');
        const apps = list.filter((c) => c.kind === 'app');
        const sidecarTotal = init.filter((c) => c.kind === 'sidecar').reduce((a, c) => a + c.millis, 0);
        const running = apps.reduce((a, c) => a + c.millis, 0) + sidecarTotal;
        const steps = init.map((c, i) => {
          const before = init.slice(0, i).filter((s) => s.kind === 'sidecar').reduce((a, s) => a + s.millis, 0);
          return c.millis + before;
        });
        const expected = Math.max(running, ...steps);
        const container = (c: { kind: string; millis: number }, i: number) => ({
          name: `c${i}`,
          ...(c.kind === 'sidecar' ? { restartPolicy: 'Always' } : {}),
          resources: { requests: { cpu: `${c.millis}m` } },
        });
        const w = workloadBudget({
          kind: 'Pod',
          spec: { initContainers: init.map(container), containers: apps.map(container) },
        })!;
        const actual = w.requests.get('cpu')?.nanos ?? 0n;
        return actual === BigInt(expected) * 1_000_000n;
      }),
      { numRuns: 500 },
    );
  });
});

describe('autoscalerTarget', () => {
  it('reads the scaled workload and its maximum, for workloadBudget to count', () => {
    const hpa = parse(`
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 12
`);
    const target = autoscalerTarget(hpa);
    assert.deepEqual(target, { kind: 'Deployment', name: 'web', maxReplicas: 12 });
    assert.deepEqual(budget(deployment, { replicas: target!.maxReplicas }).replicas, { known: true, count: 12 });
    const substituted = { kind: 'HorizontalPodAutoscaler', spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: '${MAX}' } };
    assert.equal(autoscalerTarget(substituted), undefined);
  });
});
