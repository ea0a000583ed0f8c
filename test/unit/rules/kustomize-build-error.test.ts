import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, FLUX_SYSTEM_SYNC, fluxKs, repo } from '../../helpers/repo';
import { runChecks } from '../../../server/src/check';
import { buildOutput } from '../../../server/src/cli';
import { fluxBuild } from '../../../server/src/model/build';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const base = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
  'apps/a.yaml': cm('settings'),
  'apps/b.yaml': cm('settings'),
};

test('fires at the entry that adds an object twice', () => {
  const model = repo({ ...base, 'apps/kustomization.yaml': 'resources:\n  - a.yaml\n  - b.yaml\n' });
  const findings = check(model, 'kustomize/build-error');
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.file, 'apps/kustomization.yaml');
  assert.equal(at(f), '3:5-3:11');
  assert.equal(f.severity, 'error');
  assert.equal(f.message, 'kustomize build of apps for Kustomization flux-system/apps fails: may not add resource with an already registered id: ConfigMap.v1.settings.[noNs]');
});

test('fires at a field kustomize does not know in a nested kustomization: kustomize reads that file itself', () => {
  const model = repo({
    ...base,
    'apps/kustomization.yaml': 'resources:\n  - a.yaml\n  - ../base\n',
    'base/kustomization.yaml': 'resources:\n  - cm.yaml\nresource:\n  - other.yaml\n',
    'base/cm.yaml': cm('base'),
  });
  const [f, ...rest] = check(model, 'kustomize/build-error');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'base/kustomization.yaml');
  assert.equal(at(f), '3:1-3:9');
  assert.equal(f.severity, 'error');
  assert.equal(f.message, 'kustomize build of apps for Kustomization flux-system/apps fails: invalid Kustomization: json: unknown field "resource"');
});

test('an unknown field of the folder a Flux Kustomization applies is a warning, not a refusal: kustomize-controller drops it before kustomize reads the file', () => {
  const files = { ...base, 'apps/kustomization.yaml': 'resources:\n  - a.yaml\nnamespce: team\n' };
  const model = repo(files);
  const [f, ...rest] = check(model, 'kustomize/build-error');
  assert.deepEqual(rest, []);
  assert.equal(f.file, 'apps/kustomization.yaml');
  assert.equal(at(f), '3:1-3:9');
  assert.equal(f.severity, 'warning');
  assert.equal(
    f.message,
    'unknown field "namespce" has no effect: kustomize-controller drops it before building apps for Kustomization flux-system/apps, and kustomize build of the folder refuses it (invalid Kustomization: json: unknown field "namespce")',
  );
  // Flux builds the folder without the field: the object is applied, in no namespace of the field's.
  const ks = model.graph.fluxKustomizations.find((k) => k.name === 'apps')!;
  const result = fluxBuild(model, ks)!;
  assert.equal(result.error, undefined);
  assert.deepEqual(result.objects.map((o) => `${o.kind}/${o.name} ns=${o.namespace}`), ['ConfigMap/settings ns=']);
  // kustomize itself (`gitops-guardrails build`, like kubectl kustomize) refuses the same folder.
  const out = buildOutput(model, 'apps');
  assert.equal(out.code, 2);
  assert.equal(out.stdout, '');
  assert.equal(out.stderr, 'gitops-guardrails: kustomize would refuse apps: invalid Kustomization: json: unknown field "namespce" (apps/kustomization.yaml)\n');
  // Every unknown field is dropped, each said once; the warning stays when the build fails for another reason.
  const twice = repo({ ...base, 'apps/kustomization.yaml': 'resources:\n  - a.yaml\n  - b.yaml\nresource: [c.yaml]\nlabel: {a: b}\n' });
  assert.deepEqual(
    check(twice, 'kustomize/build-error').map((x) => `${x.severity} ${at(x)} ${x.message.split(':')[0]}`),
    ['error 3:5-3:11 kustomize build of apps for Kustomization flux-system/apps fails', 'warning 4:1-4:9 unknown field "resource" has no effect', 'warning 5:1-5:6 unknown field "label" has no effect'],
  );
});

test('does not fire where the Flux Kustomization supplies what the folder lacks (spec.components)', () => {
  const model = repo({
    ...base,
    'clusters/prod/apps.yaml': fluxKs('apps', './apps', '  components:\n    - ../components/settings\n'),
    'components/settings/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - cm.yaml\n',
    'components/settings/cm.yaml': cm('extra'),
    'apps/kustomization.yaml': 'resources:\n  - a.yaml\npatches:\n  - patch: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: extra\n      data:\n        k: v\n',
  });
  assert.deepEqual(check(model, 'kustomize/build-error'), []);
  // Without the component kustomize refuses: the patch matches nothing (kustomize/patch-no-target says so).
  const without = repo({ ...base, 'apps/kustomization.yaml': 'resources:\n  - a.yaml\npatches:\n  - patch: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: extra\n' });
  assert.deepEqual(check(without, 'kustomize/build-error'), []);
  const [f] = check(without, 'kustomize/patch-no-target');
  assert.equal(at(f), '4:5-4:10');
  assert.match(f.message, /kustomize refuses the build, so the Kustomization applies nothing; the closest object is ConfigMap settings \(v1\)\.$/);
});

test('leaves missing files, YAML syntax and what it cannot see to other rules or unresolved', () => {
  for (const kustomization of ['resources:\n  - missing.yaml\n', 'resources:\n  - github.com/example/repo//deploy?ref=v1\n  - a.yaml\n  - b.yaml\n', 'resources:\n  - broken.yaml\n']) {
    const model = repo({ ...base, 'apps/broken.yaml': 'a: "unclosed\n', 'apps/kustomization.yaml': kustomization });
    assert.deepEqual(check(model, 'kustomize/build-error'), [], kustomization);
  }
});

test('does not fire on folders no cluster applies', () => {
  const model = repo({ 'apps/a.yaml': cm('settings'), 'apps/b.yaml': cm('settings'), 'apps/kustomization.yaml': 'resources:\n  - a.yaml\n  - b.yaml\n' });
  assert.deepEqual(check(model, 'kustomize/build-error'), []);
});

test('a kustomization over the alias limit is its file\'s finding, not a rule failure (fuzzer, issue 14)', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'resources: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]', ''].join('\n');
  const model = repo({ ...base, 'apps/kustomization.yaml': bomb });
  const failed: string[] = [];
  const findings = runChecks(model, { onRuleError: (rule) => failed.push(rule.id) });
  assert.deepEqual(failed, []);
  assert.deepEqual(findings.filter((f) => f.rule === 'kustomize/build-error'), []);
  const own = findings.filter((f) => f.file === 'apps/kustomization.yaml');
  assert.ok(own.some((f) => /aliases expand past the limit/.test(f.message)), JSON.stringify(own));
});

test('fires on a base that sets nothing (kustomize: "kustomization.yaml is empty"), at the entry that names it', () => {
  for (const text of ['', '{}\n', '# nothing yet\n', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n']) {
    const model = repo({ ...base, 'apps/kustomization.yaml': 'resources:\n  - a.yaml\n  - ../base\n', 'base/kustomization.yaml': text });
    const [f, ...rest] = check(model, 'kustomize/build-error');
    assert.deepEqual(rest, [], JSON.stringify(text));
    assert.equal(f.file, 'apps/kustomization.yaml');
    assert.equal(at(f), '3:5-3:12');
    assert.equal(f.message, "kustomize build of apps for Kustomization flux-system/apps fails: couldn't make target for path 'base': kustomization.yaml is empty");
  }
});

test('does not fire on an empty list, nor on the folder a Flux Kustomization applies when its kustomization sets nothing (kustomize-controller rewrites that one first)', () => {
  const asBase = repo({ ...base, 'apps/kustomization.yaml': 'resources:\n  - a.yaml\n  - ../base\n', 'base/kustomization.yaml': 'resources: []\n' });
  assert.deepEqual(check(asBase, 'kustomize/build-error'), []);
  for (const text of ['', '{}\n', 'resources: []\n']) {
    assert.deepEqual(check(repo({ ...base, 'apps/kustomization.yaml': text }), 'kustomize/build-error'), [], JSON.stringify(text));
  }
});
