// .gitops-guardrails.yaml validation: every invalid entry is a config/invalid finding at its own
// range, the valid rest still applies, and no text of the config makes the model throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, FLUX_SYSTEM_SYNC, fluxKs, repo, yaml } from '../../helpers/repo';
import { runChecks } from '../../../server/src/check';
import type { Finding } from '../../../server/src/rules/types';

const files = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/a.yaml': fluxKs('a', './missing-a'),
  'legacy/broken.yaml': 'a: "',
  'environments/core/cert-manager/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cert-manager\n',
};

const configFindings = (findings: Finding[]) => findings.filter((f) => f.rule === 'config/invalid').map((f) => [at(f), f.message]);
const others = (findings: Finding[]) => findings.filter((f) => f.rule !== 'config/invalid').map((f) => `${f.rule}@${f.file}:${f.severity}`);

test('an empty ignore pattern is a finding at the entry; the other patterns still apply', () => {
  const model = repo({ ...files, '.gitops-guardrails.yaml': 'ignore:\n  - ""\n  - legacy/**\n' });
  const findings = check(model);
  assert.deepEqual(configFindings(findings), [['2:5-2:7', '"ignore" entry 1: an empty pattern matches nothing; remove it or write a path.']]);
  // legacy/** is ignored: no yaml/syntax finding for legacy/broken.yaml.
  assert.deepEqual(others(findings), ['flux/path-not-found@clusters/prod/a.yaml:error']);
});

test('ignore entries that are not strings, absolute or not globs are named one by one', () => {
  const model = repo({ ...files, '.gitops-guardrails.yaml': 'ignore: [3, {a: b}, /etc/**, "a[", legacy/**]\n' });
  assert.deepEqual(configFindings(check(model)), [
    ['1:10-1:11', '"ignore" entry 1: expected a path or a glob pattern (a string), found the number 3.'],
    ['1:13-1:19', '"ignore" entry 2: expected a path or a glob pattern (a string), found a mapping.'],
    ['1:21-1:28', '"ignore" entry 3: "/etc/**" is absolute; patterns are relative to the repository root.'],
  ]);
  assert.ok(model.isIgnored('legacy/broken.yaml'));
});

test('a cluster path that does not exist is a finding at the path; the cluster is not built, detection takes over', () => {
  const model = repo({ ...files, '.gitops-guardrails.yaml': 'clusters:\n  - name: prod\n    path: clusters/prd\n' });
  const findings = check(model);
  assert.deepEqual(configFindings(findings), [['3:11-3:23', 'Cluster "prod": path "clusters/prd" does not exist; this cluster is not checked. Did you mean clusters/prod?']]);
  // The findings of the real cluster are not lost to the typo.
  assert.ok(others(findings).includes('flux/path-not-found@clusters/prod/a.yaml:error'));
  assert.deepEqual(model.graph.clusters.map((c) => c.folder), ['clusters/prod']);
});

test('a cluster path that is a file, and valid clusters beside invalid ones', () => {
  const model = repo({
    ...files,
    '.gitops-guardrails.yaml': yaml`
      clusters:
        - name: prod
          path: ./clusters/prod/
        - name: file
          path: clusters/prod/a.yaml
        - {name: "", path: x}
        - name: prod
          path: clusters
        - just-a-string
    `,
  });
  assert.deepEqual(configFindings(check(model)), [
    ['5:11-5:31', 'Cluster "file": path "clusters/prod/a.yaml" is a file; a cluster\'s path is its root folder.'],
    ['6:12-6:14', 'Each cluster needs a "name" (a non-empty string).'],
    ['7:11-7:15', 'Cluster "prod" is named twice; the first one counts.'],
    ['9:5-9:18', 'Each cluster needs a "name" and a "path" (its root folder).'],
  ].sort());
  assert.deepEqual(model.graph.clusters.map((c) => [c.name, c.folder, c.rootKind]), [['prod', 'clusters/prod', 'config']]);
});

test('a creating cluster folder clears the finding without touching the config', () => {
  const model = repo({ ...files, '.gitops-guardrails.yaml': 'clusters:\n  - name: staging\n    path: clusters/staging\n' });
  assert.equal(configFindings(check(model)).length, 1);
  model.setFile('clusters/staging/flux-system/gotk-sync.yaml', FLUX_SYSTEM_SYNC('staging'));
  assert.deepEqual(configFindings(check(model)), []);
  assert.deepEqual(model.graph.clusters.map((c) => c.name), ['staging']);
});

test('layer paths: wrong types, empty entries and folders that match nothing are named; the good ones apply', () => {
  const model = repo({
    ...files,
    '.gitops-guardrails.yaml': yaml`
      layers:
        - name: core
          paths: [environments/core, "", environments/cor]
        - name: apps
          paths: environments/*/nothing
        - name: core
          paths: [x]
        - name: 5
    `,
  });
  assert.deepEqual(configFindings(check(model)), [
    ['3:32-3:34', 'Layer "core": an empty pattern matches nothing; remove it or write a folder.'],
    ['3:36-3:52', 'Layer "core": folder "environments/cor" does not exist; the layer has no components there. Did you mean environments/core?'],
    ['5:12-5:34', 'Layer "apps": "environments/*/nothing" matches no folder; the layer has no components there.'],
    ['6:11-6:15', 'Layer "core" is named twice; the first one counts.'],
    ['8:11-8:12', 'Each layer needs a "name" (a non-empty string).'],
  ]);
  assert.deepEqual(model.layers.layers.map((l) => [l.name, l.components.map((c) => c.name)]), [['core', ['cert-manager']], ['apps', []]]);
});

test('an alias bomb in the config is one finding, and the rules still run', () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
  const model = repo({ ...files, '.gitops-guardrails.yaml': lines.join('\n') + '\n' });
  // Rules that expand the file's aliases themselves are another matter (toJS limits); here: the config.
  const findings = runChecks(model, { onRuleError: () => {} });
  // Parsing may already refuse the expansion (a syntax finding); either way one finding, on the config.
  const config = configFindings(findings);
  assert.equal(config.length, 1);
  assert.match(String(config[0][1]), /alias/i);
  assert.ok(others(findings).includes('flux/path-not-found@clusters/prod/a.yaml:error'));
});

test('keys without a value yet are keys not set; a second document is named', () => {
  const model = repo({ ...files, '.gitops-guardrails.yaml': 'ignore:\nlayers:\nrules:\n---\nrules: {}\n' });
  assert.deepEqual(configFindings(check(model)), [['4:1-5:10', '.gitops-guardrails.yaml holds more than one YAML document; only the first is read.']]);
});

test('typing a config character by character never throws and always yields findings or none', () => {
  const text = yaml`
    layers:
      - name: core
        paths: [environments/core]
    rules:
      flux/path-not-found: warning
    ignore: ["", legacy/**, '*']
    clusters:
      - name: prod
        path: clusters/prod
    crdCharts:
      cert-manager: [cert-manager.io]
  `;
  const model = repo(files);
  for (let i = 0; i <= text.length; i++) {
    model.setFile('.gitops-guardrails.yaml', text.slice(0, i));
    const findings = check(model);
    for (const f of findings) assert.ok(f.range.start.line >= 0 && f.message.length > 0);
  }
});
