import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';

const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const layered = (extra: Record<string, string>) =>
  repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/core.yaml': fluxKs('dns', './environments/core/dns'),
    'clusters/prod/services.yaml': fluxKs('db', './environments/services/db'),
    'clusters/prod/apps.yaml': fluxKs('web', './environments/apps/web'),
    'environments/core/dns/ns.yaml': ns('dns'),
    'environments/services/db/ns.yaml': ns('db'),
    'environments/apps/web/ns.yaml': ns('web'),
    ...extra,
  });

test('layers/direction fires on a service DNS name that points up, naming both components, layers and the edge', () => {
  const model = layered({
    'environments/core/dns/cm.yaml': yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: forwarders
        namespace: dns
      data:
        upstream: http://frontend.web.svc.cluster.local:8080/resolve
    `,
  });
  const [f, ...rest] = check(model, 'layers/direction');
  assert.equal(rest.length, 0);
  assert.equal(f.file, 'environments/core/dns/cm.yaml');
  assert.equal(at(f), '7:20-7:50');
  assert.equal(f.severity, 'warning');
  assert.equal(f.message, 'core component dns depends on apps component web through a service DNS name (frontend.web.svc.cluster.local); dependencies must point down the layers (core ← services ← apps).');
});

test('layers/direction fires on an upward Flux dependsOn; the fix removes the entry; configured layers make it an error', () => {
  const model = layered({
    'clusters/prod/core.yaml': fluxKs('dns', './environments/core/dns', '  dependsOn:\n    - name: web\n'),
    '.gitops-guardrails.yaml': 'layers:\n  - name: core\n    paths: [environments/core]\n  - name: services\n    paths: [environments/services]\n  - name: apps\n    paths: [environments/apps]\n',
  });
  const [f] = check(model, 'layers/direction');
  assert.equal(f.file, 'clusters/prod/core.yaml');
  assert.equal(at(f), '14:13-14:16');
  assert.equal(f.severity, 'error');
  assert.equal(f.message, 'core component dns depends on apps component web through a Flux dependsOn (web); dependencies must point down the layers (core ← services ← apps).');
  applyFix(model, f.fixes![0]);
  assert.deepEqual(check(model, 'layers/direction'), []);
  assert.ok(!model.file('clusters/prod/core.yaml')!.text.includes('name: web'));
});

test('layers/direction: kustomize paths, source references, NetworkPolicy selectors and custom resources are edges', () => {
  const model = layered({
    'environments/core/dns/kustomization.yaml': 'resources:\n  - ns.yaml\n  - ../../apps/web/ns.yaml\n  - hr.yaml\n  - netpol.yaml\n  - widget.yaml\n',
    'environments/core/dns/hr.yaml': yaml`
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: dns
        namespace: dns
      spec:
        chart:
          spec:
            chart: coredns
            sourceRef:
              kind: HelmRepository
              name: charts
              namespace: web
    `,
    'environments/core/dns/netpol.yaml': yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name: allow
        namespace: dns
      spec:
        podSelector: {}
        ingress:
          - from:
              - namespaceSelector:
                  matchLabels:
                    kubernetes.io/metadata.name: web
    `,
    'environments/apps/web/crd.yaml': yaml`
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.com
      spec:
        group: example.com
        names:
          kind: Widget
    `,
    'environments/core/dns/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: dns\n',
  });
  assert.deepEqual(
    check(model, 'layers/direction').map((f) => `${f.file}:${at(f)}:${/through a ([^(]+) \(/.exec(f.message)![1]}`),
    [
      'environments/core/dns/hr.yaml:13:20-13:23:source reference',
      'environments/core/dns/kustomization.yaml:3:5-3:27:kustomize path',
      'environments/core/dns/netpol.yaml:12:44-12:47:NetworkPolicy namespaceSelector',
      'environments/core/dns/widget.yaml:2:7-2:13:custom resource',
    ],
  );
});

test('layers/direction is quiet for downward edges, same-layer edges and repositories without layers', () => {
  const down = layered({
    'environments/apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: web\ndata:\n  dns: http://coredns.dns.svc:53\n',
  });
  assert.deepEqual(check(down, 'layers/direction'), []);
  const flat = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/a.yaml': fluxKs('a', './kubernetes/a', '  dependsOn:\n    - name: b\n'),
    'clusters/prod/b.yaml': fluxKs('b', './kubernetes/b'),
    'kubernetes/a/ns.yaml': ns('a'),
    'kubernetes/b/ns.yaml': ns('b'),
  });
  assert.equal(flat.layers.source, 'none');
  assert.deepEqual(check(flat, 'layers/direction'), []);
});

const labelled = (name: string, layer: string, dependsOn: string[] = []) =>
  fluxKs(name, `./k8s/${name}`, dependsOn.length ? `  dependsOn:\n${dependsOn.map((d) => `    - name: ${d}\n`).join('')}` : '').replace(
    '  namespace: flux-system\n',
    `  namespace: flux-system\n  labels:\n    layer: ${layer}\n`,
  );

test('layers/direction with tier labels: the tier numbers and most dependsOn edges agree, so the one upward edge is reported', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/a.yaml': labelled('cilium', 'tier-0-foundation', ['shop']),
    'clusters/prod/b.yaml': labelled('ingress', 'tier-1-infrastructure', ['cilium']),
    'clusters/prod/c.yaml': labelled('shop', 'tier-2-applications', ['ingress', 'cilium']),
    'clusters/prod/d.yaml': labelled('web', 'tier-2-applications', ['cilium']),
    'k8s/cilium/ns.yaml': ns('cilium'),
    'k8s/web/ns.yaml': ns('web'),
    'k8s/ingress/ns.yaml': ns('ingress'),
    'k8s/shop/ns.yaml': ns('shop'),
  });
  const [f, ...rest] = check(model, 'layers/direction');
  assert.equal(rest.length, 0);
  assert.equal(f.file, 'clusters/prod/a.yaml');
  assert.equal(at(f), '16:13-16:17');
  assert.equal(f.severity, 'warning');
  assert.equal(
    f.message,
    'tier-0-foundation component cilium depends on tier-2-applications component shop through a Flux dependsOn (shop); dependencies must point down the layers (tier-0-foundation ← tier-1-infrastructure ← tier-2-applications).',
  );
});

test('layers/direction says once, as information, which order it assumed when labels and edges disagree, and checks nothing else', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    // Most edges lead from "infrastructure" to "apps": the names and the edges disagree.
    'clusters/prod/a.yaml': labelled('dns', 'infrastructure', ['shop', 'web']),
    'clusters/prod/b.yaml': labelled('shop', 'apps'),
    'clusters/prod/c.yaml': labelled('web', 'apps', ['dns']),
    'k8s/dns/ns.yaml': ns('dns'),
    'k8s/shop/ns.yaml': ns('shop'),
    'k8s/web/ns.yaml': ns('web'),
  });
  assert.equal(model.layers.order.certain, false);
  const findings = check(model, 'layers/direction');
  assert.deepEqual(
    findings.map((f) => [f.file, at(f), f.severity, f.message]),
    [
      [
        'clusters/prod/a.yaml',
        '7:12-7:26',
        'information',
        'Layer order assumed from the known layer names in the labels (infrastructure ← apps), although 2 of 3 dependsOn edges between infrastructure and apps lead from infrastructure to apps. Dependencies are not checked against it until it is certain: list the layers lowest first under layerOrder in .gitops-guardrails.yaml (layerOrder: [infrastructure, apps]).',
      ],
    ],
  );
  // Configuring the order makes it certain: the upward edges become errors.
  model.setFile('.gitops-guardrails.yaml', 'layerOrder: [infrastructure, apps]\n');
  assert.deepEqual(
    check(model, 'layers/direction').map((f) => [at(f), f.severity]),
    [
      ['16:13-16:17', 'error'],
      ['17:13-17:16', 'error'],
    ],
  );
});
