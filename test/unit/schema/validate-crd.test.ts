import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resetSchemaTimings, SchemaRegistry, schemaTimings } from '../../../server/src/schema/index';
import { doc, render } from './helpers';

const widgetCrd = (extraSpec: Record<string, unknown> = {}, served = ['v1']) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: served.map((name) => ({
      name,
      served: true,
      storage: name === served[0],
      schema: {
        openAPIV3Schema: {
          type: 'object',
          description: 'A widget.',
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            metadata: { type: 'object' },
            spec: {
              type: 'object',
              required: ['size'],
              properties: {
                size: { type: 'integer', minimum: 1, description: 'How many parts.' },
                port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
                mode: { type: 'string', enum: ['fast', 'safe'] },
                interval: { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$' },
                owner: { type: 'string', nullable: true },
                config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                template: {
                  type: 'object',
                  'x-kubernetes-embedded-resource': true,
                  'x-kubernetes-preserve-unknown-fields': true,
                },
                source: {
                  type: 'object',
                  properties: { url: { type: 'string' }, secret: { type: 'string' } },
                  oneOf: [{ required: ['url'] }, { required: ['secret'] }],
                },
                ...extraSpec,
              },
            },
          },
        },
      },
    })),
  },
});

test('a CRD from the repository is strict where it lists properties', () => {
  const registry = new SchemaRegistry();
  registry.addCustomResourceDefinitions([widgetCrd()]);
  const problems = registry.validate(doc`
    apiVersion: example.com/v1
    kind: Widget
    metadata:
      name: w
      lables: {a: b}
    spec:
      sise: 3
      port: [1]
      mode: quick
      interval: 5 minutes
      owner: null
      config: {anything: [1, 2], goes: true}
      template:
        apiVersion: v1
        kind: ConfigMap
        data: {a: b}
  `);
  assert.deepEqual(render(problems), [
    'metadata.lables (key): Unknown field "lables" in ObjectMeta; did you mean "labels"?',
    'spec (key): Missing required field "size" in Widget.spec',
    'spec.sise (key): Unknown field "sise" in Widget.spec; did you mean "size"?',
    'spec.port (value): "port" must be an integer or a string, got list',
    'spec.mode (value): "mode" must be one of "fast", "safe", got "quick"',
    'spec.interval (value): "interval" must match the pattern ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$, got "5 minutes"',
  ]);
});

test('oneOf branches collapse into one message', () => {
  const registry = new SchemaRegistry();
  registry.addCustomResourceDefinitions([widgetCrd()]);
  const none = registry.validate(doc`
    apiVersion: example.com/v1
    kind: Widget
    metadata: {name: w}
    spec: {size: 1, source: {}}
  `);
  assert.deepEqual(render(none), ['spec.source (key): Missing one of the fields "url", "secret" in Widget.spec.source']);
  const both = registry.validate(doc`
    apiVersion: example.com/v1
    kind: Widget
    metadata: {name: w}
    spec: {size: 1, source: {url: a, secret: b}}
  `);
  assert.deepEqual(render(both), ['spec.source (key): "source" matches more than one allowed form; set only one of the alternatives']);
});

test('substitutions and encrypted values pass typed, enum and pattern checks of a CRD', () => {
  const registry = new SchemaRegistry();
  registry.addCustomResourceDefinitions([widgetCrd()]);
  const problems = registry.validate(doc`
    apiVersion: example.com/v1
    kind: Widget
    metadata: {name: w}
    spec:
      size: \${SIZE}
      mode: \${MODE}
      interval: ENC[AES256_GCM,data:abc,type:str]
  `);
  assert.deepEqual(render(problems), []);
});

test('every served version is registered; unserved ones are not', () => {
  const registry = new SchemaRegistry();
  const crd = widgetCrd({}, ['v1', 'v1beta1']);
  (crd.spec.versions[1] as any).served = false;
  registry.addCustomResourceDefinitions([crd, { apiVersion: 'v1', kind: 'ConfigMap' }, null, 'text']);
  assert.equal(registry.hasSchema('example.com/v1', 'Widget'), true);
  assert.deepEqual(registry.validate({ apiVersion: 'example.com/v1beta1', kind: 'Widget' }), { unknownKind: 'example.com/v1beta1 Widget' });
});

test('a legacy apiextensions.k8s.io/v1beta1 CRD with spec.validation is read too', () => {
  const registry = new SchemaRegistry();
  const modern = widgetCrd();
  const legacy = {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kind: 'CustomResourceDefinition',
    spec: { group: 'old.example.com', version: 'v1alpha1', names: { kind: 'Gadget' }, validation: modern.spec.versions[0].schema },
  };
  registry.addCustomResourceDefinitions([legacy]);
  assert.deepEqual(render(registry.validate({ apiVersion: 'old.example.com/v1alpha1', kind: 'Gadget', spec: { size: 'x' } })), [
    'spec.size (value): "size" must be an integer, got string',
  ]);
});

test('two CRDs for the same kind with different schemas: a document is judged by the one it fits', () => {
  const registry = new SchemaRegistry();
  registry.addCustomResourceDefinitions([widgetCrd(), widgetCrd({ colour: { type: 'string' } })]);
  assert.deepEqual(render(registry.validate({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { size: 1, colour: 'red' } })), []);
  // Neither fits: the first registered one speaks.
  assert.deepEqual(render(registry.validate({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { size: 1, color: 'red' } })), [
    'spec.color (key): Unknown field "color" in Widget.spec; allowed fields: size, port, mode, interval, owner, config, template, source',
  ]);
});

test('validators are compiled on first use and cached by content across registries', () => {
  resetSchemaTimings();
  const crd = widgetCrd({ cached: { type: 'boolean' } });
  const first = new SchemaRegistry();
  first.addCustomResourceDefinitions([crd]);
  assert.equal(schemaTimings.crdCompiles, 0);
  first.validate({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { size: 1 } });
  assert.equal(schemaTimings.crdCompiles, 1);
  const second = new SchemaRegistry();
  second.addCustomResourceDefinitions([structuredClone(crd)]);
  second.validate({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { size: 2 } });
  assert.equal(schemaTimings.crdCompiles, 1);
  assert.equal(schemaTimings.validations, 2);
  assert.ok(schemaTimings.crdCompileMs > 0);
});

test('Flux kinds validate against the bundled fallback when the repository has no Flux CRDs', () => {
  const registry = new SchemaRegistry();
  const problems = registry.validate(doc`
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: podinfo
      namespace: apps
    spec:
      interval: \${INTERVAL}
      chart:
        spec:
          chart: podinfo
          version: 6.x
          sourceRef:
            kind: HelmRepository
            name: podinfo
      instal:
        remediation: {retries: 3}
      values:
        replicaCount: 2
        anything: {goes: [here]}
  `);
  assert.deepEqual(render(problems), ['spec.instal (key): Unknown field "instal" in HelmRelease.spec; did you mean "install"?']);
  const ks = registry.validate(doc`
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata: {name: apps, namespace: flux-system}
    spec:
      interval: 10m
      path: ./apps
      sourceRef: {kind: GitRepository, name: flux-system}
  `);
  assert.deepEqual(render(ks), ['spec (key): Missing required field "prune" in Kustomization.spec']);
});

test('the bundled fallback does not enforce lists of kinds, which grow from one Flux release to the next', () => {
  const registry = new SchemaRegistry();
  const problems = registry.validate(doc`
    apiVersion: notification.toolkit.fluxcd.io/v1beta3
    kind: Alert
    metadata: {name: flux}
    spec:
      providerRef: {name: alertmanager}
      eventSources:
        - {kind: FluxInstance, name: flux}
  `);
  assert.deepEqual(render(problems), []);
});

test('Flux CRDs found in the repository replace the fallback', () => {
  const registry = new SchemaRegistry();
  const helmRelease = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    spec: {
      group: 'helm.toolkit.fluxcd.io',
      names: { kind: 'HelmRelease' },
      versions: [{ name: 'v2', served: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { only: { type: 'string' } } } } } } }],
    },
  };
  registry.addCustomResourceDefinitions([helmRelease]);
  assert.deepEqual(render(registry.validate({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', spec: { interval: '1m' } })), [
    'spec.interval (key): Unknown field "interval" in HelmRelease.spec; allowed fields: only',
  ]);
  // A version the repository's CRD does not serve is unknown, not judged by the fallback.
  assert.deepEqual(registry.validate({ apiVersion: 'helm.toolkit.fluxcd.io/v2beta2', kind: 'HelmRelease' }), { unknownKind: 'helm.toolkit.fluxcd.io/v2beta2 HelmRelease' });
  const noFallback = new SchemaRegistry({ fluxFallback: false });
  assert.deepEqual(noFallback.validate({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease' }), { unknownKind: 'helm.toolkit.fluxcd.io/v2 HelmRelease' });
});

test('what a CRD schema holds beyond structural schemas is left out, not turned into errors', () => {
  const registry = new SchemaRegistry();
  const crd = widgetCrd({ weird: { type: 'file', required: true, pattern: '(?i)abc', items: [{ type: 'string' }] } });
  // A reference is not allowed in a structural schema; a hand-written CRD may still hold one.
  (crd.spec.versions[0].schema.openAPIV3Schema.properties.spec as any).allOf = [{ not: { $ref: '#/nowhere' } }];
  registry.addCustomResourceDefinitions([crd]);
  assert.deepEqual(render(registry.validate({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { size: 1, weird: 'x' } })), []);
});

test('a `not: {required}` of a CRD names the forbidden fields', () => {
  const registry = new SchemaRegistry();
  const crd = widgetCrd({
    auth: {
      type: 'object',
      properties: { token: { type: 'string' }, password: { type: 'string' }, legacy: { type: 'string' } },
      allOf: [{ not: { required: ['token', 'password'] } }, { not: { required: ['legacy'] } }],
    },
  });
  registry.addCustomResourceDefinitions([crd]);
  assert.deepEqual(render(registry.validate({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { size: 1, auth: { token: 'a', password: 'b', legacy: 'c' } } })), [
    'spec.auth (key): "token" and "password" cannot be set together in Widget.spec.auth',
    'spec.auth.legacy (key): Field "legacy" is not allowed in Widget.spec.auth',
  ]);
});

test('oneOf failures in many list items stay with their own item', () => {
  const registry = new SchemaRegistry();
  const crd = widgetCrd({
    sources: {
      type: 'array',
      items: { type: 'object', properties: { url: { type: 'string' }, secret: { type: 'string' } }, oneOf: [{ required: ['url'] }, { required: ['secret'] }] },
    },
  });
  registry.addCustomResourceDefinitions([crd]);
  const sources = Array.from({ length: 11 }, (_, i) => (i === 1 || i === 10 ? {} : { url: 'u' }));
  assert.deepEqual(render(registry.validate({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { size: 1, sources } })), [
    'spec.sources.1 (key): Missing one of the fields "url", "secret" in Widget.spec.sources[]',
    'spec.sources.10 (key): Missing one of the fields "url", "secret" in Widget.spec.sources[]',
  ]);
});
