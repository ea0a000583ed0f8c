import './setup-generated';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaDeprecatedApi } from '../../../server/src/rules/schema-deprecated-api';
import type { Finding } from '../../../server/src/rules/types';
import { applyFix, at, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';
import type { RepoModel } from '../../../server/src/model/model';

const run = (model: RepoModel) =>
  schemaDeprecatedApi.check(model).map((f) => ({ ...f, rule: schemaDeprecatedApi.id, severity: f.severity ?? 'warning' }) as Finding);
const show = (findings: Finding[]) => findings.map((f) => `${f.file} ${at(f)}: ${f.message} fixes=${f.fixes?.length ?? 0}`);

const cluster = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
};
const release = yaml`
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: web
  spec:
    interval: 5m
    chart:
      spec:
        chart: web
        sourceRef: {kind: HelmRepository, name: charts}
`;
const GONE = 'helm.toolkit.fluxcd.io/v2beta1 HelmRelease is not served since Flux 2.7; use helm.toolkit.fluxcd.io/v2';

test('a patch file at a deprecated apiVersion is flagged there, and bumped where the new schema takes it as is', () => {
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': 'resources:\n  - hr.yaml\npatches:\n  - path: hr-patch.yaml\n',
    'apps/hr.yaml': release,
    'apps/hr-patch.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  values:\n    replicas: 2\n',
  });
  const findings = run(model);
  assert.deepEqual(show(findings), [`apps/hr-patch.yaml 1:13-1:43: In this patch: ${GONE} fixes=1`]);
  assert.equal(findings[0].fixes![0].title, 'Change apiVersion to helm.toolkit.fluxcd.io/v2');
  applyFix(model, findings[0].fixes![0]);
  assert.match(model.file('apps/hr-patch.yaml')!.text, /^apiVersion: helm\.toolkit\.fluxcd\.io\/v2\nkind/);
  assert.deepEqual(run(model), []);
});

test('no bump is offered for a patch the new version\'s schema refuses (a field it removed)', () => {
  const model = repo({
    ...cluster,
    'apps/kustomization.yaml': 'resources:\n  - hr.yaml\npatches:\n  - path: hr-patch.yaml\n',
    'apps/hr.yaml': release,
    'apps/hr-patch.yaml': yaml`
      apiVersion: helm.toolkit.fluxcd.io/v2beta1
      kind: HelmRelease
      metadata:
        name: web
      spec:
        postRenderers:
          - kustomize:
              patchesStrategicMerge:
                - {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}}
    `,
  });
  assert.deepEqual(show(run(model)), [`apps/hr-patch.yaml 1:13-1:43: In this patch: ${GONE} fixes=0`]);
});

test('an inline patch of a Flux Kustomization is flagged at its apiVersion inside the block', () => {
  const model = repo({
    ...cluster,
    'clusters/prod/apps.yaml': fluxKs('apps', './apps', yaml`
        patches:
          - patch: |
              apiVersion: helm.toolkit.fluxcd.io/v2beta1
              kind: HelmRelease
              metadata:
                name: web
              spec:
                interval: 1h
    `.replace(/^/gm, '  ')),
    'apps/kustomization.yaml': 'resources:\n  - hr.yaml\n',
    'apps/hr.yaml': release,
  });
  const findings = run(model);
  assert.deepEqual(show(findings), [`clusters/prod/apps.yaml 15:21-15:51: In this patch: ${GONE} fixes=1`]);
  applyFix(model, findings[0].fixes![0]);
  assert.match(model.file('clusters/prod/apps.yaml')!.text, /\n {8}apiVersion: helm\.toolkit\.fluxcd\.io\/v2\n {8}kind: HelmRelease/);
  assert.deepEqual(run(model), []);
});

test('a patch target that selects a deprecated version is flagged at its version and moved', () => {
  const kustomization = (version: string) => yaml`
    resources:
      - hr.yaml
    patches:
      - target:
          group: helm.toolkit.fluxcd.io
          version: ${version}
          kind: HelmRelease
        patch: |
          - op: replace
            path: /spec/interval
            value: 1h
  `;
  const model = repo({ ...cluster, 'apps/kustomization.yaml': kustomization('v2beta1'), 'apps/hr.yaml': release });
  const findings = run(model);
  assert.deepEqual(show(findings), [
    `apps/kustomization.yaml 6:16-6:23: Patch target: ${GONE}; objects written at the new version do not match this target, and kustomize drops a patch that matches nothing. fixes=1`,
  ]);
  const [fix] = findings[0].fixes!;
  assert.equal(fix.title, 'Change the target to helm.toolkit.fluxcd.io/v2');
  assert.equal(fix.safe, false);
  applyFix(model, fix);
  assert.match(model.file('apps/kustomization.yaml')!.text, /\n {6}version: v2\n/);
  assert.deepEqual(run(model), []);
  // Current versions and version patterns are not flagged.
  assert.deepEqual(run(repo({ ...cluster, 'apps/kustomization.yaml': kustomization('v2'), 'apps/hr.yaml': release })), []);
  assert.deepEqual(run(repo({ ...cluster, 'apps/kustomization.yaml': kustomization('v2beta.*'), 'apps/hr.yaml': release })), []);
});
