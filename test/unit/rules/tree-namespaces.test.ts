// The Components view's data: a component's namespaces are where it runs, not where it only puts
// Flux objects (the HelmRepository beside an app, in flux-system).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { components } from '../../../server/src/features/tree';
import { FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';

test('an app component does not list flux-system for the HelmRepository it keeps there; one it owns stays', () => {
  const model = repo({
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('web', './apps/web'),
    'apps/web/kustomization.yaml': 'resources:\n  - namespace.yaml\n  - repository.yaml\n  - release.yaml\n',
    'apps/web/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
    'apps/web/repository.yaml': yaml`
      apiVersion: source.toolkit.fluxcd.io/v1
      kind: HelmRepository
      metadata:
        name: web
        namespace: flux-system
      spec:
        url: https://charts.example.com
    `,
    'apps/web/release.yaml': yaml`
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: web
        namespace: web
      spec:
        chart:
          spec:
            chart: web
            sourceRef:
              kind: HelmRepository
              name: web
              namespace: flux-system
    `,
  });
  const all = components(model, () => []);
  const web = [...all.layers.flatMap((l) => l.components), ...all.unlayered].find((c) => c.name === 'web')!;
  assert.ok(model.layers.components.find((c) => c.name === 'web')!.namespaces.includes('flux-system'), 'the model knows where its objects land');
  assert.deepEqual(web.namespaces, ['web']);
});
