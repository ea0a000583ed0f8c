import './setup-generated';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaDeprecatedApi } from '../../../server/src/rules/schema-deprecated-api';
import { schemaInvalid } from '../../../server/src/rules/schema-invalid';
import type { Finding, Rule } from '../../../server/src/rules/types';
import { applyFix, at, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';
import type { RepoModel } from '../../../server/src/model/model';

const run = (rule: Rule, model: RepoModel) =>
  rule.check(model).map((f) => ({ ...f, rule: rule.id, severity: f.severity ?? rule.defaultSeverity }) as Finding);
const show = (findings: Finding[]) => findings.map((f) => `${f.file} ${at(f)} ${f.severity}: ${f.message}`);

const cluster = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod').replace('  sourceRef:', '  prune: true\n  sourceRef:'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
};

test('schema/invalid points at the key of an unknown field and at a wrong value', () => {
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': 'resources:\n  - web.yaml\n',
    'apps/web.yaml': yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: two
        selector:
          matchLabels: {app: web}
        template:
          spec:
            containers:
              - name: web
                imagePullPolcy: Always
              - image: busybox
    `,
  });
  assert.deepEqual(show(run(schemaInvalid, model)), [
    'apps/web.yaml 6:13-6:16 error: "replicas" must be an integer, got string',
    'apps/web.yaml 13:11-13:25 error: Unknown field "imagePullPolcy" in Container; did you mean "imagePullPolicy"?',
    'apps/web.yaml 14:11-14:16 error: Missing required field "name" in Container',
  ]);
});

test('schema/invalid checks kustomization.yaml, validates patch files as patches and says once per unknown kind', () => {
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': yaml`
      resources:
        - web.yaml
        - cnp.yaml
        - cnp2.yaml
      patches:
        - path: replicas.yaml
      namePrefx: x-
    `,
    'apps/web.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n',
    'apps/replicas.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - targetPort: 8080\n',
    'apps/cnp.yaml': 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: a\n',
    'apps/cnp2.yaml': 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: b\n',
  });
  assert.deepEqual(show(run(schemaInvalid, model)), [
    'apps/kustomization.yaml 7:1-7:10 error: Unknown field "namePrefx" in Kustomization; did you mean "namePrefix"?',
    'apps/cnp.yaml 2:7-2:26 information: No schema is known for cilium.io/v2 CiliumNetworkPolicy: its CustomResourceDefinition is not in this repository, so documents of this kind are not validated.',
  ]);
});

test('schema/invalid leaves required fields alone when a Flux Kustomization patches them in', () => {
  const parent = fluxKs('apps', './apps') + yaml`
      patches:
        - patch: |-
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: _
            spec:
              interval: 1h
              prune: true
          target:
            kind: Kustomization
  `.replace(/^/gm, '  ').replace(/^ {2}$/gm, '');
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': cluster['clusters/prod/flux-system/gotk-sync.yaml'],
    'clusters/prod/apps.yaml': parent,
    'apps/child.yaml': yaml`
      apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: child
        namespace: flux-system
      spec:
        path: ./apps/child
        sourceRef:
          kind: GitRepository
          name: flux-system
    `,
    'apps/child/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
  });
  assert.deepEqual(show(run(schemaInvalid, model)), []);
});

test('schema/invalid uses the CRDs of the repository and skips files no cluster applies', () => {
  const crd = yaml`
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: widgets.example.com
    spec:
      group: example.com
      names: {kind: Widget, plural: widgets}
      scope: Namespaced
      versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    size: {type: integer}
  `;
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': 'resources:\n  - crd.yaml\n  - widget.yaml\n',
    'apps/crd.yaml': crd,
    'apps/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: big\n',
    '.archive/old.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  sise: 1\n',
  });
  assert.deepEqual(show(run(schemaInvalid, model)), ['apps/widget.yaml 6:9-6:12 error: "size" must be an integer, got string']);
});

test('schema/deprecated-api flags a Flux beta API at its apiVersion and bumps it', () => {
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': 'resources:\n  - hr.yaml\n',
    'apps/hr.yaml': yaml`
      apiVersion: helm.toolkit.fluxcd.io/v2beta1
      kind: HelmRelease
      metadata:
        name: web
      spec:
        interval: 5m
        chart:
          spec:
            chart: web
            sourceRef: {kind: HelmRepository, name: charts}
    `,
  });
  const findings = run(schemaDeprecatedApi, model);
  assert.deepEqual(show(findings), [
    'apps/hr.yaml 1:13-1:43 warning: helm.toolkit.fluxcd.io/v2beta1 HelmRelease is not served since Flux 2.7; use helm.toolkit.fluxcd.io/v2',
  ]);
  const [fix] = findings[0].fixes!;
  assert.equal(fix.title, 'Change apiVersion to helm.toolkit.fluxcd.io/v2');
  applyFix(model, fix);
  assert.match(model.file('apps/hr.yaml')!.text, /^apiVersion: helm\.toolkit\.fluxcd\.io\/v2\nkind: HelmRelease/);
  assert.deepEqual(run(schemaDeprecatedApi, model), []);
  assert.deepEqual(show(run(schemaInvalid, model)), []);
});

test('schema/deprecated-api rewrites deprecated kustomize fields mechanically', () => {
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': yaml`
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      bases:
        - ../base
      commonLabels:
        app: web
        team: core
      patchesStrategicMerge:
        - replicas.yaml
        - resources.yaml
      vars: []
    `,
  });
  const findings = run(schemaDeprecatedApi, model);
  assert.deepEqual(findings.map((f) => `${at(f)} ${f.message.split(';')[0]} fix=${f.fixes?.length}`), [
    '8:1-8:22 kustomize field "patchesStrategicMerge" is deprecated fix=1',
    '3:1-3:6 kustomize field "bases" is deprecated fix=1',
    '5:1-5:13 kustomize field "commonLabels" is deprecated fix=1',
    '11:1-11:5 kustomize field "vars" is deprecated fix=0',
  ]);
  for (const f of findings) if (f.fixes?.length) applyFix(model, f.fixes[0]);
  // Each fix was computed on the original text; apply them one by one as an editor would.
  const text = model.file('apps/kustomization.yaml')!.text;
  assert.ok(text.includes('resources:\n  - ../base'), text);
  assert.ok(text.includes('labels:\n  - pairs:\n      app: web\n      team: core\n    includeSelectors: true'), text);
  assert.ok(text.includes('patches:\n  - path: replicas.yaml\n  - path: resources.yaml'), text);
});

test('schema/invalid tells a Kubernetes API the built-in schemas lack from a missing CRD', () => {
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': 'resources:\n  - map.yaml\n',
    'apps/map.yaml': 'apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingAdmissionPolicy\nmetadata:\n  name: m\n',
  });
  assert.deepEqual(show(run(schemaInvalid, model)), [
    'apps/map.yaml 2:7-2:30 information: No schema is known for admissionregistration.k8s.io/v1 MutatingAdmissionPolicy: Kubernetes 1.34 does not serve it as a stable or beta API, so documents of this kind are not validated.',
  ]);
});

test('schema/invalid validates inline patches of a Flux Kustomization at the exact line inside the block', () => {
  const parent = fluxKs('apps', './apps') + [
    '  patches:',
    '    - patch: |-',
    '        apiVersion: apps/v1',
    '        kind: Deployment',
    '        metadata:',
    '          name: web',
    '        spec:',
    '          replica: 3',
    '      target:',
    '        kind: Deployment',
    '    - patch: |',
    '        - op: replace',
    '          path: /spec/replicas',
    '          value: 2',
    '      target:',
    '        kind: Deployment',
    '',
  ].join('\n');
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': cluster['clusters/prod/flux-system/gotk-sync.yaml'],
    'clusters/prod/apps.yaml': parent,
    'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
  });
  assert.deepEqual(show(run(schemaInvalid, model)), [
    'clusters/prod/apps.yaml 20:11-20:18 error: In this patch: Unknown field "replica" in DeploymentSpec; did you mean "replicas"?',
  ]);
});

test('schema/invalid reports a known kind under the wrong apiVersion at each document, with the right one', () => {
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': 'resources:\n  - a.yaml\n  - b.yaml\n',
    'apps/a.yaml': 'apiVersion: v1\nkind: Deployment\nmetadata:\n  name: a\n',
    'apps/b.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: b\n',
  });
  assert.deepEqual(show(run(schemaInvalid, model)), [
    'apps/a.yaml 1:13-1:15 error: Deployment is not served by v1; use apps/v1',
    'apps/b.yaml 1:13-1:40 error: HelmRelease is not served by source.toolkit.fluxcd.io/v1; use helm.toolkit.fluxcd.io/v2',
  ]);
});

test('schema/invalid does not take a kind of an unknown group for a misplaced built-in kind', () => {
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': 'resources:\n  - ksvc.yaml\n',
    'apps/ksvc.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: hello\n',
  });
  assert.deepEqual(show(run(schemaInvalid, model)), [
    'apps/ksvc.yaml 2:7-2:14 information: No schema is known for serving.knative.dev/v1 Service: its CustomResourceDefinition is not in this repository, so documents of this kind are not validated.',
  ]);
});
