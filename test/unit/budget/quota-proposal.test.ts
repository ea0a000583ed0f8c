import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { workloadBudget } from '../../../server/src/budget/pod';
import type { Quantity } from '../../../server/src/budget/quantity';
import { formatQuantity } from '../../../server/src/budget/quantity-format';
import { admissionGaps, quotaUsage, type ResourceQuotaSpec } from '../../../server/src/budget/quota';
import { proposeQuotaHard } from '../../../server/src/budget/quota-proposal';
import type { WorkloadBudget } from '../../../server/src/budget/types';

function deployment(name: string, replicas: number, resources: string): WorkloadBudget {
  const yaml = `kind: Deployment\nmetadata: {name: ${name}}\nspec:\n  replicas: ${replicas}\n  template: {spec: {containers: [{name: app, resources: ${resources}}]}}`;
  return workloadBudget(parse(yaml))!;
}

const show = (hard: Map<string, Quantity>) => [...hard].map(([name, q]) => `${name}=${formatQuantity(q, name)}`);

describe('proposeQuotaHard', () => {
  const web = deployment('web', 3, '{requests: {cpu: 250m, memory: 256Mi}, limits: {memory: 512Mi}}');
  const worker = deployment('worker', 1, '{requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}');

  it('covers replicas and surge with 20% headroom, on sensible steps', () => {
    // Pods: web 3 + 1 surge, worker 1 + 1 surge = 6. cpu: 4 × 250m + 2 × 100m = 1.2.
    // memory: 4 × 256Mi + 2 × 128Mi = 1280Mi; limits.memory: 4 × 512Mi + 2 × 256Mi = 2560Mi.
    assert.deepEqual(show(proposeQuotaHard([web, worker])), [
      'pods=8',
      'requests.cpu=1.5',
      'requests.memory=1536Mi',
      'limits.memory=3Gi',
    ]);
  });

  it('leaves out a limit that some container does not set', () => {
    const sidecarless = deployment('batch', 1, '{requests: {cpu: 1, memory: 1Gi}}');
    const hard = proposeQuotaHard([web, sidecarless], { headroomPercent: 0 });
    assert.deepEqual([...hard.keys()], ['pods', 'requests.cpu', 'requests.memory']);
  });

  it('proposes a quota its own workloads fit and are admitted by', () => {
    const hard = proposeQuotaHard([web, worker]);
    const quota: ResourceQuotaSpec = { name: 'proposal', hard, scopes: [], problems: [] };
    assert.deepEqual(quotaUsage(quota, [web, worker], { includeSurge: true }).resources.filter((r) => r.exceeded), []);
    assert.deepEqual(admissionGaps(quota, [web, worker]), []);
  });
});
