import './setup-generated';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaRegistry } from '../../../server/src/schema/index';

const registry = new SchemaRegistry();

test('Flux beta APIs point at their GA replacement', () => {
  const cases: [string, string, string | undefined][] = [
    ['helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease', 'helm.toolkit.fluxcd.io/v2'],
    ['helm.toolkit.fluxcd.io/v2beta2', 'HelmRelease', 'helm.toolkit.fluxcd.io/v2'],
    ['kustomize.toolkit.fluxcd.io/v1beta1', 'Kustomization', 'kustomize.toolkit.fluxcd.io/v1'],
    ['kustomize.toolkit.fluxcd.io/v1beta2', 'Kustomization', 'kustomize.toolkit.fluxcd.io/v1'],
    ['source.toolkit.fluxcd.io/v1beta1', 'GitRepository', 'source.toolkit.fluxcd.io/v1'],
    ['source.toolkit.fluxcd.io/v1beta2', 'HelmRepository', 'source.toolkit.fluxcd.io/v1'],
    ['source.toolkit.fluxcd.io/v1beta2', 'OCIRepository', 'source.toolkit.fluxcd.io/v1'],
    ['notification.toolkit.fluxcd.io/v1beta2', 'Alert', 'notification.toolkit.fluxcd.io/v1beta3'],
    ['notification.toolkit.fluxcd.io/v1beta2', 'Receiver', 'notification.toolkit.fluxcd.io/v1'],
    ['image.toolkit.fluxcd.io/v1beta2', 'ImagePolicy', 'image.toolkit.fluxcd.io/v1'],
  ];
  for (const [apiVersion, kind, replacement] of cases) {
    assert.equal(registry.deprecation(apiVersion, kind)?.replacement, replacement, `${apiVersion} ${kind}`);
  }
  assert.deepEqual(registry.deprecation('helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease'), {
    replacement: 'helm.toolkit.fluxcd.io/v2',
    message: 'helm.toolkit.fluxcd.io/v2beta1 HelmRelease is not served since Flux 2.7; use helm.toolkit.fluxcd.io/v2',
    removed: true,
  });
  assert.equal(
    registry.deprecation('source.toolkit.fluxcd.io/v1beta2', 'OCIRepository')?.message,
    'source.toolkit.fluxcd.io/v1beta2 OCIRepository is superseded by v1 in Flux 2.6 and not served since Flux 2.8; use source.toolkit.fluxcd.io/v1',
  );
});

test('current APIs are not deprecated', () => {
  for (const [apiVersion, kind] of [
    ['helm.toolkit.fluxcd.io/v2', 'HelmRelease'],
    ['source.toolkit.fluxcd.io/v1', 'OCIRepository'],
    ['notification.toolkit.fluxcd.io/v1beta3', 'Alert'],
    ['apps/v1', 'Deployment'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ['coordination.k8s.io/v1beta1', 'LeaseCandidate'],
    ['certificates.k8s.io/v1beta1', 'ClusterTrustBundle'],
  ]) {
    assert.equal(registry.deprecation(apiVersion, kind), undefined, `${apiVersion} ${kind}`);
  }
});

test('removed Kubernetes APIs point at their replacement', () => {
  const cases: [string, string, string | undefined][] = [
    ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', 'autoscaling/v2'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'autoscaling/v2'],
    ['policy/v1beta1', 'PodDisruptionBudget', 'policy/v1'],
    ['policy/v1beta1', 'PodSecurityPolicy', undefined],
    ['batch/v1beta1', 'CronJob', 'batch/v1'],
    ['networking.k8s.io/v1beta1', 'Ingress', 'networking.k8s.io/v1'],
    ['extensions/v1beta1', 'Ingress', 'networking.k8s.io/v1'],
    ['extensions/v1beta1', 'Deployment', 'apps/v1'],
    ['rbac.authorization.k8s.io/v1beta1', 'ClusterRole', 'rbac.authorization.k8s.io/v1'],
    ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', 'apiextensions.k8s.io/v1'],
  ];
  for (const [apiVersion, kind, replacement] of cases) {
    const d = registry.deprecation(apiVersion, kind);
    assert.ok(d, `${apiVersion} ${kind}`);
    assert.equal(d.replacement, replacement, `${apiVersion} ${kind}`);
    assert.equal(d.removed, true);
  }
  assert.equal(
    registry.deprecation('batch/v1beta1', 'CronJob')!.message,
    'batch/v1beta1 CronJob is removed in Kubernetes 1.25; use batch/v1',
  );
});

test('a version the repository CRD still serves is deprecated, not removed', () => {
  const local = new SchemaRegistry();
  local.addCustomResourceDefinitions([
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      spec: {
        group: 'helm.toolkit.fluxcd.io',
        names: { kind: 'HelmRelease' },
        versions: [
          { name: 'v2', served: true, schema: { openAPIV3Schema: { type: 'object' } } },
          { name: 'v2beta1', served: true, deprecated: true, schema: { openAPIV3Schema: { type: 'object' } } },
        ],
      },
    },
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      spec: {
        group: 'example.com',
        names: { kind: 'Widget' },
        versions: [
          { name: 'v1alpha1', served: true, deprecated: true, deprecationWarning: 'example.com/v1alpha1 Widget is deprecated; use v1', schema: { openAPIV3Schema: { type: 'object' } } },
          { name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object' } } },
        ],
      },
    },
  ]);
  assert.deepEqual(local.deprecation('helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease'), {
    replacement: 'helm.toolkit.fluxcd.io/v2',
    message:
      'helm.toolkit.fluxcd.io/v2beta1 HelmRelease is not served since Flux 2.7; use helm.toolkit.fluxcd.io/v2 (the CustomResourceDefinition in this repository still serves helm.toolkit.fluxcd.io/v2beta1)',
    removed: false,
  });
  assert.deepEqual(local.deprecation('example.com/v1alpha1', 'Widget'), { message: 'example.com/v1alpha1 Widget is deprecated; use v1', removed: false, fromCustomResourceDefinition: true, replacement: 'example.com/v1' });
  assert.equal(local.deprecation('example.com/v1', 'Widget'), undefined);
});
