import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';

const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const layered = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/all.yaml': fluxKs('env', './environments'),
  'environments/core/cert-manager/ns.yaml': ns('cert-manager'),
  'environments/services/postgres/ns.yaml': ns('postgres'),
  'environments/apps/web/ns.yaml': ns('web'),
  'environments/apps/base/api/ns.yaml': ns('api'),
};

test('layers come from conventions: side-by-side layer folders, ordered, with components and namespaces', () => {
  const { layers, source } = repo(layered).layers;
  assert.equal(source, 'convention');
  assert.deepEqual(
    layers.map((l) => [l.name, l.order, l.folders, l.components.map((c) => `${c.name}:${c.namespaces.join(',')}`)]),
    [
      ['core', 1, ['environments/core'], ['cert-manager:cert-manager']],
      ['services', 2, ['environments/services'], ['postgres:postgres']],
      ['apps', 4, ['environments/apps'], ['api:api', 'web:web']],
    ],
  );
});

test('a lone "apps" folder is not a layering: no layers, components from Flux Kustomizations', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('web', './kubernetes/apps/default/web'),
    'kubernetes/apps/default/web/ns.yaml': ns('web'),
  });
  assert.equal(model.layers.source, 'none');
  assert.deepEqual(model.layers.layers, []);
  assert.deepEqual(model.layers.components.map((c) => [c.name, c.folder, c.namespaces]), [['web', 'kubernetes/apps/default/web', ['web']]]);
});

test('.gitops-guardrails.yaml names layers, their order and folders', () => {
  const model = repo({
    ...layered,
    '.gitops-guardrails.yaml': 'layers:\n  - name: base\n    paths: [environments/core, environments/services]\n  - name: top\n    paths: environments/apps\n',
  });
  assert.equal(model.layers.source, 'config');
  assert.deepEqual(model.layers.layers.map((l) => [l.name, l.order, l.components.map((c) => c.name)]), [
    ['base', 0, ['cert-manager', 'postgres']],
    ['top', 1, ['api', 'web']],
  ]);
});

test('a bad config gets clear findings on the config file, never an exception', () => {
  const model = repo({
    ...layered,
    '.gitops-guardrails.yaml': 'layers:\n  - name: core\nrules:\n  flux/path-not-fund: error\n  yaml/syntax: loud\nignor: []\n',
  });
  const findings = check(model).filter((f) => f.rule === 'config/invalid');
  assert.deepEqual(findings.map((f) => [at(f), f.message]), [
    ['2:5-2:15', 'Layer "core" needs "paths": a list of folders (globs allowed) whose subfolders are its components.'],
    ['4:3-4:21', 'Unknown rule "flux/path-not-fund". Did you mean flux/path-not-found?'],
    ['5:16-5:20', 'Severity of "yaml/syntax" must be one of error, warning, information, hint, off.'],
    ['6:1-6:6', 'Unknown key "ignor" in .gitops-guardrails.yaml; expected one of layers, layerOrder, rules, ignore, clusters, crdCharts.'],
  ]);
  const broken = repo({ '.gitops-guardrails.yaml': 'rules: [\n' });
  assert.equal(check(broken).filter((f) => f.rule === 'config/invalid').length, 1);
});

test('config severities, ignored paths and suppression comments apply to every rule', () => {
  const files = {
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/a.yaml': fluxKs('a', './missing-a'),
    'clusters/prod/b.yaml': '# gitops-guardrails-disable-file flux/path-not-found\n' + fluxKs('b', './missing-b'),
    'clusters/prod/c.yaml': fluxKs('c', './missing-c').replace('  path:', '  # gitops-guardrails-disable-next-line flux/path-not-found\n  path:'),
    'clusters/prod/d.yaml': fluxKs('d', './missing-d').replace('  path:', '  # gitops-guardrails-disable-next-line yaml/syntax\n  path:'),
    // Applied by the cluster (it lies in its plain folder), so a syntax error is an error.
    'clusters/prod/broken.yaml': 'a: "',
  };
  assert.deepEqual(check(repo(files)).map((f) => `${f.rule}@${f.file}:${f.severity}`), [
    'flux/path-not-found@clusters/prod/a.yaml:error',
    'yaml/syntax@clusters/prod/broken.yaml:error',
    'flux/path-not-found@clusters/prod/d.yaml:error',
  ]);
  const configured = repo({ ...files, '.gitops-guardrails.yaml': 'rules:\n  flux/path-not-found: warning\n  yaml/syntax: "off"\nignore:\n  - clusters/prod/d.yaml\n' });
  assert.deepEqual(check(configured).map((f) => `${f.rule}@${f.file}:${f.severity}`), ['flux/path-not-found@clusters/prod/a.yaml:warning']);
});

test('layers can come from a layer label on the Flux Kustomizations, ordered by name or by dependsOn', () => {
  const labelled = (name: string, path: string, layer: string, extra = '') =>
    fluxKs(name, path, extra).replace('  namespace: flux-system\n', `  namespace: flux-system\n  labels:\n    example.com/layer: ${layer}\n`);
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/a.yaml': labelled('ingress', './k8s/ingress', 'edge', '  dependsOn:\n    - name: shop\n'),
    'clusters/prod/b.yaml': labelled('shop', './k8s/shop', 'business'),
    'k8s/ingress/ns.yaml': ns('ingress'),
    'k8s/shop/ns.yaml': ns('shop'),
  });
  assert.equal(model.layers.source, 'labels');
  assert.deepEqual(model.layers.layers.map((l) => [l.name, l.order, l.components.map((c) => `${c.name}:${c.namespaces.join(',')}`)]), [
    ['business', 0, ['shop:shop']],
    ['edge', 1, ['ingress:ingress']],
  ]);
  assert.deepEqual(model.layers.order, {
    source: 'inferred-dependsOn',
    certain: true,
    reason: 'the direction of the dependsOn edges between layers (business ← edge)',
    evidence: { resource: model.file('clusters/prod/b.yaml')!.resources[0], nodePath: ['metadata', 'labels', 'example.com/layer'] },
  });
  // Known names rank the layers; one edge points up while most point down: that edge is reported.
  const reversed = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/a.yaml': labelled('ingress', './k8s/ingress', 'infrastructure'),
    'clusters/prod/b.yaml': labelled('shop', './k8s/shop', 'apps', '  dependsOn:\n    - name: ingress\n'),
    'clusters/prod/c.yaml': labelled('dns', './k8s/dns', 'infrastructure', '  dependsOn:\n    - name: shop\n'),
    'clusters/prod/d.yaml': labelled('web', './k8s/web', 'apps', '  dependsOn:\n    - name: dns\n'),
    'k8s/ingress/ns.yaml': ns('ingress'),
    'k8s/shop/ns.yaml': ns('shop'),
    'k8s/dns/ns.yaml': ns('dns'),
    'k8s/web/ns.yaml': ns('web'),
  });
  assert.deepEqual(reversed.layers.layers.map((l) => l.name), ['infrastructure', 'apps']);
  assert.deepEqual([reversed.layers.order.source, reversed.layers.order.certain], ['inferred-labels', true]);
  assert.deepEqual(check(reversed, 'layers/direction').map((f) => f.message), [
    'infrastructure component dns depends on apps component shop through a Flux dependsOn (shop); dependencies must point down the layers (infrastructure ← apps).',
  ]);
});

const tiered = (name: string, layer: string, dependsOn: string[] = []) =>
  fluxKs(name, `./k8s/${name}`, dependsOn.length ? `  dependsOn:\n${dependsOn.map((d) => `    - name: ${d}\n`).join('')}` : '').replace(
    '  namespace: flux-system\n',
    `  namespace: flux-system\n  labels:\n    layer: ${layer}\n`,
  );

test('layer labels with tier numbers are ordered by number, not alphabetically', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/a.yaml': tiered('cilium', 'tier-0-foundation'),
    // No edges at all: only the numbers order them ("tier-10" sorts before "tier-2").
    'clusters/prod/b.yaml': tiered('ingress', 'tier-2-platform'),
    'clusters/prod/c.yaml': tiered('shop', 'tier-10-applications'),
  });
  assert.deepEqual(model.layers.layers.map((l) => [l.name, l.order]), [
    ['tier-0-foundation', 0],
    ['tier-2-platform', 1],
    ['tier-10-applications', 2],
  ]);
  assert.deepEqual([model.layers.order.source, model.layers.order.certain, model.layers.order.reason], [
    'inferred-labels',
    true,
    'the tier numbers in the layer labels (tier-0-foundation ← tier-2-platform ← tier-10-applications)',
  ]);
});

test('known layer names rank the labels; names on one rank are ordered by the dependsOn edges', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/a.yaml': tiered('cilium', 'foundation'),
    'clusters/prod/b.yaml': tiered('cnpg', 'platform', ['cilium']),
    'clusters/prod/c.yaml': tiered('postgres', 'data', ['cnpg']),
    'clusters/prod/d.yaml': tiered('grafana', 'observability', ['postgres']),
    'clusters/prod/e.yaml': tiered('shop', 'applications', ['postgres', 'grafana']),
  });
  assert.deepEqual(model.layers.layers.map((l) => l.name), ['foundation', 'platform', 'data', 'observability', 'applications']);
  assert.deepEqual([model.layers.order.source, model.layers.order.certain], ['inferred-labels', true]);
});

test('layerOrder in the config orders label layers for certain', () => {
  const model = repo({
    '.gitops-guardrails.yaml': 'layerOrder: [edge, business]\n',
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/a.yaml': tiered('ingress', 'edge'),
    'clusters/prod/b.yaml': tiered('shop', 'business'),
  });
  assert.deepEqual(model.layers.layers.map((l) => l.name), ['edge', 'business']);
  assert.deepEqual([model.layers.order.source, model.layers.order.certain, model.layers.order.reason], ['configured', true, 'layerOrder in .gitops-guardrails.yaml (edge ← business)']);
  const bad = repo({ '.gitops-guardrails.yaml': 'layerOrder: edge\n' });
  assert.deepEqual(check(bad).filter((f) => f.rule === 'config/invalid').map((f) => [at(f), f.message]), [['1:13-1:17', '"layerOrder" must be a list of layer names, lowest first.']]);
});
