import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appTemplateRelease, applyFix, at, check, FLUX_SYSTEM_SYNC, fluxKs, problems, repo, yaml } from '../../helpers/repo';

const base = {
  'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
  'clusters/production/apps.yaml': fluxKs('shop', './apps/shop'),
  'apps/shop/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
};
const kustomization = (...files: string[]) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n${files.map((f) => `  - ${f}\n`).join('')}`;
const deployment = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    selector:
      matchLabels:
        app: web
    template:
      metadata:
        labels:
          app: web
      spec:
        containers:
          - name: app
            image: nginx
            ports:
              - containerPort: 80
          - name: sidecar
            image: busybox
            resources: {}
`;

test('resources/missing fires on containers without requests or limits; the fix inserts the default block in place', () => {
  const model = repo({ ...base, 'apps/shop/kustomization.yaml': kustomization('namespace.yaml', 'deployment.yaml'), 'apps/shop/deployment.yaml': deployment });
  const findings = check(model, 'resources/missing');
  assert.deepEqual(findings.map((f) => [f.file, at(f), f.severity]), [
    ['apps/shop/deployment.yaml', '15:17-15:20', 'warning'],
    ['apps/shop/deployment.yaml', '21:11-21:20', 'warning'],
  ]);
  assert.equal(findings[0].message, 'Container app of Deployment web sets no resource requests or limits: it is scheduled as if it used nothing, evicted first under pressure, and refused where a ResourceQuota tracks cpu or memory without a LimitRange default.');
  assert.equal(findings[0].fixes![0].safe, true);
  applyFix(model, findings[0].fixes![0]);
  assert.match(model.file('apps/shop/deployment.yaml')!.text, /            - containerPort: 80\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n            limits:\n              memory: 256Mi\n        - name: sidecar\n/);
  const [sidecar] = check(model, 'resources/missing');
  applyFix(model, sidecar.fixes![0]);
  assert.match(model.file('apps/shop/deployment.yaml')!.text, /          image: busybox\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n            limits:\n              memory: 256Mi\n$/);
  assert.deepEqual(check(model, 'resources/missing'), []);
  assert.deepEqual(problems(model), []);
});

test('resources/missing reads app-template controllers in HelmRelease values and points at the container key', () => {
  const release = appTemplateRelease(yaml`
    containers:
      app:
        image:
          repository: ghcr.io/example/api
      metrics:
        image:
          repository: ghcr.io/example/exporter
        resources:
          limits:
            memory: 64Mi
  `);
  const model = repo({ ...base, 'apps/shop/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml'), 'apps/shop/release.yaml': release });
  const [f, ...rest] = check(model, 'resources/missing');
  assert.deepEqual(rest, []);
  assert.equal(at(f), '14:11-14:14');
  assert.equal(f.message, 'Container app of HelmRelease api (controller api, estimated from chart values) sets no resource requests or limits: it is scheduled as if it used nothing, evicted first under pressure, and refused where a ResourceQuota tracks cpu or memory without a LimitRange default.');
  applyFix(model, f.fixes![0]);
  assert.match(model.file('apps/shop/release.yaml')!.text, /          app:\n            image:\n              repository: ghcr.io\/example\/api\n            resources:\n              requests:\n                cpu: 100m\n/);
  assert.deepEqual(check(model, 'resources/missing'), []);
});

test('resources/missing is quiet when an overlay patch adds the resources, for charts other than app-template and with valuesFrom', () => {
  const model = repo({
    ...base,
    'clusters/production/apps.yaml': fluxKs('shop', './apps/shop/overlay'),
    'apps/shop/kustomization.yaml': kustomization('namespace.yaml', 'deployment.yaml'),
    'apps/shop/deployment.yaml': deployment.replace(/ *- name: sidecar[\s\S]*$/, ''),
    'apps/shop/overlay/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ..\npatches:\n  - path: resources.yaml\n',
    'apps/shop/overlay/resources.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            requests:\n              cpu: 50m\n',
    'apps/shop/chart.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: redis\nspec:\n  values:\n    image:\n      tag: "7"\n',
    'apps/shop/from.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: api\nspec:\n  valuesFrom:\n    - kind: ConfigMap\n      name: api-values\n  values:\n    controllers:\n      api:\n        containers:\n          app:\n            image:\n              repository: x\n',
  });
  assert.deepEqual(check(model, 'resources/missing'), []);
});

test('namespace/missing fires when nothing the cluster applies declares the namespace; the fix creates namespace.yaml', () => {
  const model = repo({
    'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
    'clusters/production/apps.yaml': fluxKs('shop', './apps/shop'),
    'apps/shop/kustomization.yaml': kustomization('cm.yaml'),
    'apps/shop/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
  });
  const [f, ...rest] = check(model, 'namespace/missing');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/shop/kustomization.yaml');
  assert.equal(at(f), '3:12-3:16');
  assert.equal(f.severity, 'warning');
  assert.equal(f.message, 'Component shop puts ConfigMap settings in namespace shop, but nothing production applies declares it (no Namespace object, no HelmRelease with install.createNamespace): the apply fails with namespaces "shop" not found.');
  assert.equal(f.fixes![0].title, 'Create namespace.yaml (Namespace shop)');
  assert.equal(f.fixes![0].safe, true);
  applyFix(model, f.fixes![0]);
  assert.equal(model.file('apps/shop/namespace.yaml')!.text, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
  assert.match(model.file('apps/shop/kustomization.yaml')!.text, /  - cm.yaml\n  - namespace.yaml\n$/);
  assert.deepEqual(check(model, 'namespace/missing'), []);
  assert.deepEqual(problems(model), []);
});

test('namespace/missing is quiet for a Namespace renamed by kustomize elsewhere, HelmRelease createNamespace and bootstrap helmfiles', () => {
  const renamed = repo({
    'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
    'clusters/production/apps.yaml': fluxKs('apps', './apps'),
    'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\ncomponents:\n  - ../components/namespace\nresources:\n  - ./shop/ks.yaml\n',
    'components/namespace/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - namespace.yaml\n',
    'components/namespace/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: _\n',
    'apps/shop/ks.yaml': fluxKs('shop', './apps/shop/app', '  targetNamespace: shop\n'),
    'apps/shop/app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
  });
  assert.deepEqual(check(renamed, 'namespace/missing'), []);
  const helm = repo({
    'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
    'clusters/production/apps.yaml': fluxKs('shop', './apps/shop'),
    'apps/shop/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: shop\n  namespace: flux-system\nspec:\n  targetNamespace: shop\n  install:\n    createNamespace: true\n',
    'apps/shop/secret.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop-values\n  namespace: shop\n',
  });
  assert.deepEqual(check(helm, 'namespace/missing'), []);
  const bootstrapped = repo({
    'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
    'clusters/production/apps.yaml': fluxKs('shop', './apps/shop'),
    'apps/shop/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: cert-manager\n',
    'bootstrap/helmfile.yaml': 'releases:\n  - name: cert-manager\n    namespace: cert-manager\n    chart: jetstack/cert-manager\n',
  });
  assert.deepEqual(check(bootstrapped, 'namespace/missing'), []);
});

test('namespace/missing follows a kustomize replacement that copies the Namespace into child Kustomizations (home-ops style)', () => {
  const model = repo({
    'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
    'clusters/production/apps.yaml': fluxKs('apps', './apps'),
    'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - namespace.yaml\n  - nested\nreplacements:\n  - source:\n      kind: Namespace\n      fieldPath: metadata.name\n    targets:\n      - select:\n          kind: Kustomization\n          group: kustomize.toolkit.fluxcd.io\n        fieldPaths:\n          - spec.targetNamespace\n        options:\n          create: true\n',
    'apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: _\n',
    'apps/nested/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ks.yaml\n',
    'apps/nested/ks.yaml': fluxKs('web', './apps/web'),
    'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: monitoring\n',
  });
  // The ConfigMap lands in shop (the replaced targetNamespace), which the renamed Namespace declares.
  assert.deepEqual(check(model, 'namespace/missing'), []);
});

test("namespace/foreign fires on a resource that targets another component's namespace, not on shared or own ones", () => {
  const model = repo({
    'clusters/production/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('production'),
    'clusters/production/apps.yaml': fluxKs('shop', './apps/shop') + '---\n' + fluxKs('billing', './apps/billing'),
    'apps/shop/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
    'apps/shop/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\n',
    'apps/billing/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: billing\n',
    'apps/billing/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop-prices\n  namespace: shop\n',
    'apps/billing/repo.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  url: https://example.com\n',
  });
  const [f, ...rest] = check(model, 'namespace/foreign');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/billing/cm.yaml');
  assert.equal(at(f), '5:14-5:18');
  assert.equal(f.severity, 'warning');
  assert.equal(f.message, "ConfigMap shop-prices of component billing goes into namespace shop, which component shop owns (billing's own: billing).");
  assert.equal(f.fixes, undefined);
});

test('netpol/missing-default-deny: one information finding per namespace; quiet with a default-deny or a Cilium policy', () => {
  const files = { ...base, 'apps/shop/kustomization.yaml': kustomization('namespace.yaml') };
  const model = repo(files);
  const [f, ...rest] = check(model, 'netpol/missing-default-deny');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/shop/namespace.yaml');
  assert.equal(at(f), '4:9-4:13');
  assert.equal(f.severity, 'information');
  assert.equal(f.message, 'Namespace shop has no default-deny NetworkPolicy (podSelector: {}): every pod of the cluster can reach its pods.');
  const fix = f.fixes![0];
  assert.equal(fix.safe, false);
  applyFix(model, fix);
  assert.equal(model.file('apps/shop/networkpolicy.yaml')!.text, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n');
  assert.deepEqual(check(model, 'netpol/missing-default-deny'), []);
  assert.deepEqual(problems(model), []);
  const selective = repo({ ...files, 'apps/shop/kustomization.yaml': kustomization('namespace.yaml', 'np.yaml'), 'apps/shop/np.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n' });
  assert.equal(check(selective, 'netpol/missing-default-deny').length, 1);
  const cilium = repo({
    ...files,
    'clusters/production/policies.yaml': 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: shop\nspec:\n  endpointSelector:\n    matchLabels:\n      k8s:io.kubernetes.pod.namespace: shop\n  ingress:\n    - fromEntities: [cluster]\n',
  });
  assert.deepEqual(check(cilium, 'netpol/missing-default-deny'), []);
});

test('namespace/missing: namespaces the platform makes are declared (OpenShift openshift-* and Projects, Giant Swarm organizations)', () => {
  const config = (ns: string, apiVersion = 'config.openshift.io/v1') => `apiVersion: ${apiVersion}\nkind: Thing\nmetadata:\n  name: x\n  namespace: ${ns}\n`;
  const openshift = repo({ ...base, 'apps/shop/kustomization.yaml': 'resources:\n  - monitoring.yaml\n', 'apps/shop/monitoring.yaml': config('openshift-monitoring') });
  assert.deepEqual(check(openshift, 'namespace/missing'), []);
  // The OpenShift object may sit in another component of the cluster.
  const elsewhere = repo({
    ...base,
    'clusters/production/platform.yaml': fluxKs('platform', './platform'),
    'platform/apiserver.yaml': 'apiVersion: config.openshift.io/v1\nkind: APIServer\nmetadata:\n  name: cluster\n',
    'apps/shop/kustomization.yaml': 'resources:\n  - cm.yaml\n',
    'apps/shop/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: openshift-monitoring\n',
  });
  assert.deepEqual(check(elsewhere, 'namespace/missing'), []);
  // Without an OpenShift object in the cluster, an openshift-* namespace is as missing as any.
  const plain = repo({ ...base, 'apps/shop/kustomization.yaml': 'resources:\n  - cm.yaml\n', 'apps/shop/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: openshift-monitoring\n' });
  assert.deepEqual(check(plain, 'namespace/missing').map((f) => f.message.match(/namespace (\S+),/)?.[1]), ['openshift-monitoring']);
  // An OpenShift object written into a file the cluster already applies: the platform is read again.
  plain.setFile('apps/shop/cm.yaml', plain.file('apps/shop/cm.yaml')!.text + '---\n' + config('openshift-monitoring'));
  assert.deepEqual(check(plain, 'namespace/missing'), []);
  const giantswarm = repo({
    ...base,
    'apps/shop/kustomization.yaml': 'resources:\n  - org.yaml\n  - app.yaml\n',
    'apps/shop/org.yaml': 'apiVersion: security.giantswarm.io/v1alpha1\nkind: Organization\nmetadata:\n  name: acme\n',
    'apps/shop/app.yaml': 'apiVersion: application.giantswarm.io/v1alpha1\nkind: App\nmetadata:\n  name: hello\n  namespace: org-acme\n---\napiVersion: application.giantswarm.io/v1alpha1\nkind: Catalog\nmetadata:\n  name: c\n  namespace: giantswarm\n',
  });
  assert.deepEqual(check(giantswarm, 'namespace/missing'), []);
  const other = repo({ ...base, 'apps/shop/kustomization.yaml': 'resources:\n  - app.yaml\n', 'apps/shop/app.yaml': 'apiVersion: application.giantswarm.io/v1alpha1\nkind: App\nmetadata:\n  name: hello\n  namespace: org-other\n' });
  assert.equal(check(other, 'namespace/missing').length, 1, 'an organization the repository does not create');
});
