import './setup-generated';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaRegistry } from '../../../server/src/schema/index';

const registry = new SchemaRegistry();

test('describe gives the type, description and enum of a Kubernetes field', () => {
  const d = registry.describe('apps/v1', 'Deployment', ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy']);
  assert.equal(d?.type, 'string');
  assert.deepEqual(d?.enum, ['Always', 'Never', 'IfNotPresent']);
  assert.match(d!.description!, /^Image pull policy\. One of Always, Never, IfNotPresent\./);
  assert.deepEqual(
    ['spec', 'spec.replicas', 'spec.template.spec.containers', 'metadata.labels', 'spec.strategy.rollingUpdate.maxSurge', 'spec.template.spec.containers.0.resources.limits']
      .map((p) => registry.describe('apps/v1', 'Deployment', p.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)))?.type),
    ['DeploymentSpec', 'integer', '[]Container', 'map[string]string', 'int-or-string', 'map[string]Quantity'],
  );
  assert.equal(registry.describe('apps/v1', 'Deployment', [])?.description, 'Deployment enables declarative updates for Pods and ReplicaSets.');
  assert.equal(registry.describe('apps/v1', 'Deployment', ['spec', 'nope']), undefined);
  assert.equal(registry.describe('example.com/v1', 'Nothing', ['spec']), undefined);
});

test('describe reads CRD schemas, with ObjectMeta under metadata', () => {
  const d = registry.describe('helm.toolkit.fluxcd.io/v2', 'HelmRelease', ['spec', 'interval']);
  assert.deepEqual(d, { type: 'string', description: 'Interval at which to reconcile the Helm release.' });
  assert.equal(registry.describe('helm.toolkit.fluxcd.io/v2', 'HelmRelease', ['metadata', 'labels'])?.type, 'map[string]string');
  assert.equal(registry.describe('helm.toolkit.fluxcd.io/v2', 'HelmRelease', ['spec', 'values', 'image', 'tag']), undefined);
});

test('fieldsAt lists the fields of the object at a path with types, required flags and enums', () => {
  const at = registry.fieldsAt('v1', 'Service', ['spec'])!;
  const type = at.fields.find((f) => f.name === 'type')!;
  assert.deepEqual(type.enum, ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
  assert.equal(type.type, 'string');
  const container = registry.fieldsAt('v1', 'Pod', ['spec', 'containers', 0])!;
  assert.deepEqual(registry.fieldsAt('v1', 'Pod', ['spec', 'containers']), container);
  assert.deepEqual(container.fields.filter((f) => f.required).map((f) => f.name), ['name']);
  assert.ok(container.fields.some((f) => f.name === 'imagePullPolicy' && f.description));
  assert.deepEqual(registry.fieldsAt('v1', 'Pod', ['spec', 'restartPolicy'])!.values, ['Always', 'OnFailure', 'Never']);
  assert.deepEqual(registry.fieldsAt('v1', 'Pod', ['spec', 'hostNetwork'])!.values, [true, false]);
});

test('fieldsAt works for Flux CRDs and kustomization.yaml', () => {
  const ks = registry.fieldsAt('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', ['spec'])!;
  assert.deepEqual(ks.fields.filter((f) => f.required).map((f) => f.name).sort(), ['interval', 'prune', 'sourceRef']);
  const sourceKind = registry.fieldsAt('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', ['spec', 'sourceRef', 'kind'])!;
  assert.deepEqual(sourceKind.values, ['OCIRepository', 'GitRepository', 'Bucket', 'ExternalArtifact']);
  const k = registry.fieldsAt('kustomize.config.k8s.io/v1beta1', 'Kustomization', [])!;
  assert.ok(k.fields.some((f) => f.name === 'resources' && f.type === '[]string'));
  const patch = registry.fieldsAt('kustomize.config.k8s.io/v1beta1', 'Kustomization', ['patches', 0])!;
  assert.deepEqual(patch.fields.map((f) => f.name), ['path', 'target', 'options', 'patch']);
});
