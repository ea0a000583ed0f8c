// server/src/features/quota.ts: the hover and code lenses over quota usage (pure functions of the model).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quotaHover, quotaLenses } from '../../../server/src/features/quota';
import { FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';

const quota = yaml`
  apiVersion: v1
  kind: ResourceQuota
  metadata:
    name: budget
    namespace: shop
  spec:
    hard:
      pods: "20"
      requests.cpu: "4"
      requests.memory: 8Gi
      services: "5"
`;
const deployment = (replicas: number) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: shop
  spec:
    replicas: ${replicas}
    template:
      spec:
        containers:
          - name: app
            image: nginx
            resources:
              requests:
                cpu: 250m
                memory: 512Mi
`;

function model() {
  return repo({
    'clusters/us-west/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('us-west'),
    'clusters/us-west/apps.yaml': fluxKs('shop', './apps/shop/us-west'),
    'clusters/eu/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('eu'),
    'clusters/eu/apps.yaml': fluxKs('shop', './apps/shop'),
    'apps/shop/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - quota.yaml\n  - deployment.yaml\n',
    'apps/shop/quota.yaml': quota,
    'apps/shop/deployment.yaml': deployment(6),
    'apps/shop/us-west/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ..\nreplicas:\n  - name: web\n    count: 20\n',
  });
}

test('quotaLenses: one lens per ResourceQuota and cluster, cpu · memory · pods first', () => {
  const lenses = quotaLenses(model(), 'apps/shop/quota.yaml');
  assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command!.title]), [
    [0, 'eu: cpu 1.5/4 · memory 3Gi/8Gi · pods 6/20'],
    [0, 'us-west: cpu 5/4 ⚠ · memory 10Gi/8Gi ⚠ · pods 20/20'],
  ]);
  assert.deepEqual(quotaLenses(model(), 'apps/shop/deployment.yaml'), []);
});

test('quotaHover: usage against hard values per cluster, on the quota and on a workload of its namespace', () => {
  const m = model();
  const hover = quotaHover(m, m.file('apps/shop/quota.yaml')!.resources[0])!;
  assert.equal(
    hover.split('\n\n---\n\n')[1],
    [
      '**ResourceQuota budget** · namespace `shop` · cluster `us-west`',
      '',
      '| resource | needed | hard |',
      '|---|---:|---:|',
      '| pods | 20 | 20 |',
      '| requests.cpu | 5 ⚠ | 4 |',
      '| requests.memory | 10Gi ⚠ | 8Gi |',
      '',
      '- over budget: requests.cpu 5 needed (20 × 250m web) > hard 4',
      '- over budget: requests.memory 10Gi needed (20 × 512Mi web) > hard 8Gi',
      '',
      'Not counted from workloads: services.',
    ].join('\n'),
  );
  const onWorkload = quotaHover(m, m.file('apps/shop/deployment.yaml')!.resources[0])!;
  assert.match(onWorkload, /^\*\*ResourceQuota budget\*\* · namespace `shop` · cluster `eu`\n/);
  const unrelated = repo({ 'clusters/eu/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('eu'), 'clusters/eu/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' });
  assert.equal(quotaHover(unrelated, unrelated.file('clusters/eu/cm.yaml')!.resources[0]), undefined);
});
