// A resolved chart's crds/ join the schema registry and tell the CRD-ordering rules which
// HelmRelease installs them (the chart is in no built-in table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartRepo, fixtureChart, fixtureStore, helmRelease } from '../../helpers/chartRepos';
import { at, check, FLUX_SYSTEM_SYNC, fluxKs, yaml } from '../../helpers/repo';

const REPOSITORY = yaml`
  apiVersion: source.toolkit.fluxcd.io/v1
  kind: HelmRepository
  metadata:
    name: example
    namespace: apps
  spec:
    url: https://charts.example.com
`;
const widget = (colour: string) => `apiVersion: web.example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: apps\nspec:\n  colour: ${colour}\n`;

test('a custom resource with a value its cached chart CRD does not allow is an error; without the chart its kind is unknown', () => {
  const files = { 'apps/repo.yaml': REPOSITORY, 'apps/web.yaml': helmRelease('web', { chart: 'web', repository: 'example' }), 'apps/widget.yaml': widget('purple') };
  const withChart = chartRepo(files, [fixtureStore('https://charts.example.com', { web: 'web' })]);
  const findings = check(withChart, 'schema/invalid').filter((f) => f.file === 'apps/widget.yaml');
  assert.deepEqual(findings.map((f) => [at(f), f.severity, f.message]), [['7:11-7:17', 'error', '"colour" must be one of "red", "green", "blue", got "purple"']]);
  assert.deepEqual(check(chartRepo({ ...files, 'apps/widget.yaml': widget('green') }, [fixtureStore('https://charts.example.com', { web: 'web' })]), 'schema/invalid').filter((f) => f.file === 'apps/widget.yaml'), []);
  const without = check(chartRepo(files), 'schema/invalid').filter((f) => f.file === 'apps/widget.yaml');
  assert.deepEqual(without.map((f) => f.severity), ['information']);
});

test('a Kustomization applying a custom resource of a chart another Kustomization installs must depend on it', () => {
  const files = {
    'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
    'clusters/prod/apps.yaml': fluxKs('web', './apps/web') + '---\n' + fluxKs('widgets', './apps/widgets'),
    'apps/web/release.yaml': helmRelease('web', { path: './charts/web' }),
    'apps/widgets/widget.yaml': widget('red'),
    ...fixtureChart('web', 'charts/web'),
  };
  const findings = check(chartRepo(files), 'flux/missing-depends-on');
  assert.deepEqual(findings.map((f) => f.message), [
    'Kustomization widgets applies Widget w whose CRD (web.example.com) is installed by Kustomization web, but does not depend on it; on a fresh cluster the apply fails until web is ready. Add dependsOn: web.',
  ]);
  // Told not to install its CRDs, the chart is no installer.
  const skip = { ...files, 'apps/web/release.yaml': helmRelease('web', { path: './charts/web' }, 'crds:\n  enabled: false\n') };
  assert.deepEqual(check(chartRepo(skip), 'flux/missing-depends-on'), []);
});
