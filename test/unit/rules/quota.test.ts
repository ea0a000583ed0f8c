import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appTemplateRelease, applyFix, at, check, FLUX_SYSTEM_SYNC, fluxKs, problems, repo, webDeployment, yaml } from '../../helpers/repo';

const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const quota = yaml`
  apiVersion: v1
  kind: ResourceQuota
  metadata:
    name: shop-budget
  spec:
    hard:
      pods: "10"
      requests.cpu: "2"
      requests.memory: 2Gi
`;
const deployment = (replicas: number, resources = '            requests:\n              cpu: 500m\n              memory: 256Mi\n') =>
  webDeployment(replicas, '          resources:\n' + resources);
const shopKustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - namespace.yaml\n  - quota.yaml\n  - deployment.yaml\n';

function shop(files: Record<string, string> = {}, productionKs = fluxKs('shop', './apps/shop')) {
  return repo({
    'clusters/staging/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('staging'),
    'clusters/staging/apps.yaml': fluxKs('shop', './apps/shop'),
    'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
    'clusters/production/apps.yaml': productionKs,
    'apps/shop/kustomization.yaml': shopKustomization,
    'apps/shop/namespace.yaml': namespace,
    'apps/shop/quota.yaml': quota,
    'apps/shop/deployment.yaml': deployment(4),
    ...files,
  });
}

test('quota/over-budget is quiet for a namespace exactly at its budget (4 × 500m = hard 2)', () => {
  assert.deepEqual(check(shop(), 'quota/over-budget'), []);
  assert.deepEqual(problems(shop()), []);
});

test('quota/over-budget: an overlay that raises replicas past the quota is found for that cluster only, with the arithmetic', () => {
  const model = shop(
    {
      'apps/shop/overlays/production/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../..\nreplicas:\n  - name: web\n    count: 6\n',
    },
    fluxKs('shop', './apps/shop/overlays/production'),
  );
  const [f, ...rest] = check(model, 'quota/over-budget');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/shop/quota.yaml');
  assert.equal(at(f), '8:19-8:22');
  assert.equal(f.severity, 'error');
  assert.equal(f.message, 'production: requests.cpu 3 needed (6 × 500m web) > hard 2; ResourceQuota shop-budget refuses the pods beyond it in namespace shop.');
  assert.equal(f.fixes, undefined);
  assert.deepEqual(f.related?.map((r) => [r.file, r.message]), [['apps/shop/deployment.yaml', 'Deployment web (patched for this cluster)']]);
});

test('quota/over-budget: a Flux spec.patches strategic merge that raises replicas and requests counts for its cluster', () => {
  const patch = yaml`
    patches:
      - target:
          kind: Deployment
          name: web
        patch: |
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
          spec:
            replicas: 5
            template:
              spec:
                containers:
                  - name: app
                    resources:
                      requests:
                        memory: 512Mi
  `.replace(/^/gm, '  ');
  const model = shop({}, fluxKs('shop', './apps/shop', patch));
  const findings = check(model, 'quota/over-budget');
  assert.deepEqual(findings.map((f) => [at(f), f.message]), [
    ['8:19-8:22', 'production: requests.cpu 2500m needed (5 × 500m web) > hard 2; ResourceQuota shop-budget refuses the pods beyond it in namespace shop.'.replace('2500m', '2.5')],
    ['9:22-9:25', 'production: requests.memory 2560Mi needed (5 × 512Mi web) > hard 2Gi; ResourceQuota shop-budget refuses the pods beyond it in namespace shop.'],
  ]);
});

test('quota/over-budget: a JSON 6902 patch in an overlay and an HPA at maxReplicas', () => {
  const model = shop({
    'apps/shop/kustomization.yaml': shopKustomization + '  - hpa.yaml\npatches:\n  - path: cpu-patch.yaml\n    target:\n      kind: Deployment\n      name: web\n',
    'apps/shop/cpu-patch.yaml': '- op: replace\n  path: /spec/template/spec/containers/0/resources/requests/cpu\n  value: 250m\n',
    'apps/shop/hpa.yaml': 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 2\n  maxReplicas: 12\n',
  });
  const findings = check(model, 'quota/over-budget');
  assert.deepEqual([...new Set(findings.map((f) => f.message))].sort(), [
    'production: pods 12 needed (12 web) > hard 10; ResourceQuota shop-budget refuses the pods beyond it in namespace shop. (web: autoscaled: counted at the HorizontalPodAutoscaler\'s maxReplicas 12)',
    'production: requests.cpu 3 needed (12 × 250m web) > hard 2; ResourceQuota shop-budget refuses the pods beyond it in namespace shop. (web: autoscaled: counted at the HorizontalPodAutoscaler\'s maxReplicas 12)',
    'production: requests.memory 3Gi needed (12 × 256Mi web) > hard 2Gi; ResourceQuota shop-budget refuses the pods beyond it in namespace shop. (web: autoscaled: counted at the HorizontalPodAutoscaler\'s maxReplicas 12)',
    'staging: pods 12 needed (12 web) > hard 10; ResourceQuota shop-budget refuses the pods beyond it in namespace shop. (web: autoscaled: counted at the HorizontalPodAutoscaler\'s maxReplicas 12)',
    'staging: requests.cpu 3 needed (12 × 250m web) > hard 2; ResourceQuota shop-budget refuses the pods beyond it in namespace shop. (web: autoscaled: counted at the HorizontalPodAutoscaler\'s maxReplicas 12)',
    'staging: requests.memory 3Gi needed (12 × 256Mi web) > hard 2Gi; ResourceQuota shop-budget refuses the pods beyond it in namespace shop. (web: autoscaled: counted at the HorizontalPodAutoscaler\'s maxReplicas 12)',
  ]);
});

test('quota/over-budget counts HelmRelease values (app-template) and says they are estimated; a DaemonSet counts one pod', () => {
  const release = appTemplateRelease(yaml`
    replicas: 3
    containers:
      app:
        image:
          repository: ghcr.io/example/api
        resources:
          requests:
            cpu: 300m
            memory: 256Mi
  `);
  const daemon = deployment(1).replace('kind: Deployment', 'kind: DaemonSet').replace('name: web', 'name: agent').replace('  replicas: 1\n', '');
  const model = shop({
    'apps/shop/kustomization.yaml': shopKustomization + '  - release.yaml\n  - daemon.yaml\n',
    'apps/shop/release.yaml': release,
    'apps/shop/daemon.yaml': daemon,
  });
  const messages = [...new Set(check(model, 'quota/over-budget').map((f) => f.message.replace(/^\w+: /, '')))];
  assert.deepEqual(messages, [
    'requests.cpu 3.4 needed (4 × 500m web + 3 × 300m api + 1 × 500m agent) > hard 2; ResourceQuota shop-budget refuses the pods beyond it in namespace shop. (api: estimated from chart values. agent: a DaemonSet runs one pod per node and the node count is unknown: counted as 1 pod)',
  ]);
});

test('quota/no-limitrange fires when a container lacks the tracked request; the fix creates a LimitRange and the finding goes', () => {
  const model = shop({ 'apps/shop/deployment.yaml': deployment(2, '            limits:\n              memory: 256Mi\n') });
  const [f, ...rest] = check(model, 'quota/no-limitrange');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/shop/quota.yaml');
  assert.equal(at(f), '4:9-4:20');
  assert.equal(f.severity, 'error');
  assert.equal(f.message, 'ResourceQuota shop-budget tracks requests.cpu in namespace shop (production, staging), but no LimitRange gives defaults: Kubernetes refuses the pods of Deployment web (must specify requests.cpu for: app).');
  const fix = f.fixes![0];
  assert.equal(fix.safe, true);
  assert.equal(fix.title, 'Create limitrange.yaml with container defaults for shop');
  applyFix(model, fix);
  assert.match(model.file('apps/shop/kustomization.yaml')!.text, /  - deployment.yaml\n  - limitrange.yaml\n$/);
  assert.equal(model.file('apps/shop/limitrange.yaml')!.text, 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: container-defaults\n  namespace: shop\nspec:\n  limits:\n    - type: Container\n      defaultRequest:\n        cpu: 100m\n        memory: 128Mi\n');
  assert.deepEqual(check(model, 'quota/no-limitrange'), []);
  assert.deepEqual(problems(model), []);
});

test('quota/no-limitrange is quiet when a LimitRange gives the defaults, or the quota tracks no cpu or memory', () => {
  const limitRange = 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n    - type: Container\n      defaultRequest:\n        cpu: 100m\n';
  const covered = shop({
    'apps/shop/deployment.yaml': deployment(2, '            limits:\n              memory: 256Mi\n'),
    'apps/shop/kustomization.yaml': shopKustomization + '  - limitrange.yaml\n',
    'apps/shop/limitrange.yaml': limitRange,
  });
  assert.deepEqual(check(covered, 'quota/no-limitrange'), []);
  const podsOnly = shop({
    'apps/shop/deployment.yaml': deployment(2, '            {}\n'),
    'apps/shop/quota.yaml': 'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: shop-budget\nspec:\n  hard:\n    pods: "10"\n',
  });
  assert.deepEqual(check(podsOnly, 'quota/no-limitrange'), []);
});

test('quota/missing: one information finding per component namespace, on its Namespace; the fix sizes a quota from the workloads', () => {
  const model = shop({
    'apps/shop/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - namespace.yaml\n  - deployment.yaml\n',
    'apps/shop/quota.yaml': null as unknown as string,
  });
  model.setFile('apps/shop/quota.yaml', undefined);
  const [f, ...rest] = check(model, 'quota/missing');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/shop/namespace.yaml');
  assert.equal(at(f), '4:9-4:13');
  assert.equal(f.severity, 'information');
  assert.equal(f.message, "Namespace shop has no ResourceQuota: nothing bounds what its workloads may request (the policy: a ResourceQuota as every component namespace's budget).");
  const fix = f.fixes![0];
  assert.equal(fix.safe, true);
  assert.equal(fix.title, 'Create resourcequota.yaml + limitrange.yaml for shop');
  applyFix(model, fix);
  // 4 pods + 1 surge = 5 pods × 500m = 2.5 cores, +20% = 3 cores; 5 × 256Mi = 1280Mi, +20% = 1536Mi.
  assert.equal(
    model.file('apps/shop/resourcequota.yaml')!.text,
    [
      '# Sized by gitops-guardrails from the workloads of namespace shop (production: web; staging: web),',
      '# with 20% headroom and rollout surge.',
      'apiVersion: v1',
      'kind: ResourceQuota',
      'metadata:',
      '  name: namespace-budget',
      '  namespace: shop',
      'spec:',
      '  hard:',
      '    pods: "6"',
      '    requests.cpu: "3"',
      '    requests.memory: "1536Mi"',
      '',
    ].join('\n'),
  );
  assert.match(model.file('apps/shop/kustomization.yaml')!.text, /  - deployment.yaml\n  - resourcequota.yaml\n  - limitrange.yaml\n$/);
  assert.deepEqual(check(model, 'quota/missing'), []);
  assert.deepEqual(problems(model), []);
});

test('quota/missing: containers without requests are sized at the LimitRange defaults, and the larger cluster wins', () => {
  const model = shop(
    {
      'apps/shop/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - namespace.yaml\n  - deployment.yaml\n',
      'apps/shop/deployment.yaml': deployment(2, '            {}\n'),
      'apps/shop/overlays/production/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../..\nreplicas:\n  - name: web\n    count: 8\n',
    },
    fluxKs('shop', './apps/shop/overlays/production'),
  );
  model.setFile('apps/shop/quota.yaml', undefined);
  const [f] = check(model, 'quota/missing');
  const fix = f.fixes![0];
  assert.equal(fix.title, 'Create resourcequota.yaml + limitrange.yaml for shop');
  applyFix(model, fix);
  // production: 8 pods + 2 surge, each 100m / 128Mi from the LimitRange: 1 core → 1.2 → 1.5; 1280Mi → 1536Mi.
  assert.match(model.file('apps/shop/resourcequota.yaml')!.text, /    pods: "12"\n    requests.cpu: "1.5"\n    requests.memory: "1536Mi"\n$/);
  assert.match(model.file('apps/shop/kustomization.yaml')!.text, /  - deployment.yaml\n  - resourcequota.yaml\n  - limitrange.yaml\n$/);
  assert.deepEqual(check(model, 'quota/missing'), []);
  assert.deepEqual(problems(model).filter((p) => p.rule !== 'resources/missing'), []);
});

test('quota/missing is quiet for system namespaces and namespaces with a quota', () => {
  assert.deepEqual(check(shop(), 'quota/missing'), []);
  const system = repo({
    'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
    'clusters/production/apps.yaml': fluxKs('metrics', './apps/metrics'),
    'apps/metrics/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: metrics\n  namespace: kube-system\n',
  });
  assert.deepEqual(check(system, 'quota/missing'), []);
});

test('quota/missing in a folder without kustomization.yaml: Flux applies it whole, so the fix only creates files', () => {
  const model = repo({
    'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
    'clusters/production/apps.yaml': fluxKs('shop', './apps/shop', '  targetNamespace: shop\n'),
    'apps/shop/namespace.yaml': namespace,
    'apps/shop/deployment.yaml': deployment(1),
  });
  const [f, ...rest] = check(model, 'quota/missing');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/shop/namespace.yaml');
  assert.equal(at(f), '4:9-4:13');
  assert.deepEqual(f.fixes![0].changes.map((c) => [c.kind, c.file]), [
    ['create', 'apps/shop/resourcequota.yaml'],
    ['create', 'apps/shop/limitrange.yaml'],
  ]);
  applyFix(model, f.fixes![0]);
  assert.deepEqual(check(model, 'quota/missing'), []);
  assert.deepEqual(problems(model), []);
});

test('quota/missing is judged per cluster: a namespace with a quota in one cluster only is reported for the other, without a fix', () => {
  const model = shop(
    {
      'apps/shop/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - namespace.yaml\n  - deployment.yaml\n',
      'apps/shop/overlays/production/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - ../..\n  - ../../quota.yaml\n',
    },
    fluxKs('shop', './apps/shop/overlays/production'),
  );
  const [f, ...rest] = check(model, 'quota/missing');
  assert.deepEqual(rest, []);
  assert.equal(f.message, "Namespace shop has no ResourceQuota in staging (production has one): nothing bounds what its workloads may request (the policy: a ResourceQuota as every component namespace's budget).");
  assert.equal(f.fixes, undefined);
});

test('quota/no-limitrange says so when the namespace has a LimitRange that does not default the tracked resource', () => {
  const model = shop({
    'apps/shop/deployment.yaml': deployment(2, '            limits:\n              memory: 256Mi\n'),
    'apps/shop/kustomization.yaml': shopKustomization + '  - limitrange.yaml\n',
    'apps/shop/limitrange.yaml': 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: memory-only\nspec:\n  limits:\n    - type: Container\n      defaultRequest:\n        memory: 64Mi\n',
  });
  const [f] = check(model, 'quota/no-limitrange');
  assert.equal(f.message, 'ResourceQuota shop-budget tracks requests.cpu in namespace shop (production, staging), but its LimitRange gives no default for them: Kubernetes refuses the pods of Deployment web (must specify requests.cpu for: app).');
  assert.equal(f.fixes![0].title, 'Create limitrange-2.yaml with container defaults for shop');
  applyFix(model, f.fixes![0]);
  assert.deepEqual(check(model, 'quota/no-limitrange'), []);
});

test('quota/missing sizes from every workload: operator-made pods and charts without values are estimated, said so in the file, and the code lens then reads the same', async () => {
  const { quotaLenses } = await import('../../../server/src/features/quota');
  const model = shop({
    'apps/shop/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - namespace.yaml\n  - deployment.yaml\n  - db.yaml\n  - cache.yaml\n  - chart.yaml\n',
    'apps/shop/quota.yaml': null as unknown as string,
    'apps/shop/db.yaml': yaml`
      apiVersion: postgresql.cnpg.io/v1
      kind: Cluster
      metadata:
        name: shop-db
      spec:
        instances: 3
        resources:
          requests:
            cpu: 250m
            memory: 512Mi
    `,
    'apps/shop/cache.yaml': yaml`
      apiVersion: redis.redis.opstreelabs.in/v1beta2
      kind: RedisReplication
      metadata:
        name: shop-cache
      spec:
        clusterSize: 2
        kubernetesConfig:
          image: redis
    `,
    'apps/shop/chart.yaml': yaml`
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: shop-ui
      spec:
        chart:
          spec:
            chart: shop-ui
            sourceRef:
              kind: HelmRepository
              name: shop
    `,
  });
  model.setFile('apps/shop/quota.yaml', undefined);
  const [f] = check(model, 'quota/missing');
  const fix = f.fixes![0];
  assert.equal(fix.title, 'Create resourcequota.yaml + limitrange.yaml for shop (review estimates)');
  assert.ok(fix.title.length <= 80);
  assert.equal(fix.safe, false);
  applyFix(model, fix);
  const text = model.file('apps/shop/resourcequota.yaml')!.text;
  assert.deepEqual(text.split('\n').filter((l) => l.startsWith('#   ')), [
    '#   Cluster shop-db: 3 pods of cpu 250m, memory 512Mi; CloudNativePG runs spec.instances PostgreSQL pods of spec.resources',
    "#   HelmRelease shop-ui: 1 pod of cpu 100m, memory 128Mi; the chart's values show no workload, so one pod with the LimitRange defaults",
    '#   RedisReplication shop-cache: 2 pods of cpu 100m, memory 128Mi; the Redis operator (OT) runs spec.clusterSize Redis pods of spec.kubernetesConfig.resources',
  ]);
  // production (the larger): web 4 + 1 surge × 500m/256Mi, db 3 × 250m/512Mi, cache 2 + ui 1 × 100m/128Mi:
  // 11 pods → 14; cpu 2.5 + 0.75 + 0.3 = 3.55 → 4.26 → 5; memory 1280 + 1536 + 384 = 3200Mi → 3840Mi.
  assert.match(text, /    pods: "14"\n    requests.cpu: "5"\n    requests.memory: "3840Mi"\n$/);
  const [lens] = quotaLenses(model, 'apps/shop/resourcequota.yaml').map((l) => l.command!.title);
  // Usage without the rollout surge the proposal adds: the same workloads, the same estimates.
  assert.match(lens, /production: cpu 3.05\/5 · memory 2944Mi\/3840Mi · pods 10\/14/);
  assert.deepEqual(check(model, 'quota/missing'), []);
  assert.deepEqual(problems(model).filter((p) => p.rule.startsWith('quota/')), []);
});
