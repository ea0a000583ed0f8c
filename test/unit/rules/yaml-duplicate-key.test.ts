import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, at, check, FLUX_SYSTEM_SYNC, repo, yaml } from '../../helpers/repo';

function cluster(files: Record<string, string>) {
  return repo({ 'clusters/c/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('c'), ...files });
}

const DUPLICATE = yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
  data:
    mode: fast
    # the level of detail
    level: debug
    mode: safe
`;

test('yaml/duplicate-key fires as an error at the second key where a cluster applies the file, and its fix removes the first', () => {
  const model = cluster({ 'clusters/c/cm.yaml': DUPLICATE });
  const [finding, ...rest] = check(model, 'yaml/duplicate-key');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'error');
  assert.equal(finding.message, 'Key "mode" is already defined in this mapping at line 6; kustomize and the API server refuse duplicate keys');
  assert.equal(at(finding), '9:3-9:7');
  assert.deepEqual(finding.related?.map((r) => [r.file, at(r as never), r.message]), [['clusters/c/cm.yaml', '6:3-6:7', 'first "mode"']]);
  const [fix] = finding.fixes!;
  assert.equal(fix.title, 'Remove the first "mode"');
  assert.equal(fix.safe, true);
  applyFix(model, fix);
  assert.equal(model.file('clusters/c/cm.yaml')!.text, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  # the level of detail\n  level: debug\n  mode: safe\n');
  assert.deepEqual(check(model, 'yaml/duplicate-key'), []);
  assert.deepEqual(model.file('clusters/c/cm.yaml')!.resources[0].object.data, { level: 'debug', mode: 'safe' });
});

test('yaml/duplicate-key fixes flow mappings and keys in sequence items', () => {
  const model = cluster({
    'clusters/c/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, name: b}\n',
    'clusters/c/b.yaml': 'apiVersion: v1\nkind: List\nitems:\n  - kind: A\n    kind: B\n',
  });
  const findings = check(model, 'yaml/duplicate-key');
  assert.deepEqual(findings.map((f) => [f.file, at(f)]), [['clusters/c/a.yaml', '3:21-3:25'], ['clusters/c/b.yaml', '5:5-5:9']]);
  for (const f of findings) applyFix(model, f.fixes![0]);
  assert.equal(model.file('clusters/c/a.yaml')!.text, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
  assert.equal(model.file('clusters/c/b.yaml')!.text, 'apiVersion: v1\nkind: List\nitems:\n  - kind: B\n');
  assert.deepEqual(check(model, 'yaml/duplicate-key'), []);
});

test('yaml/duplicate-key is a warning in a manifest no cluster applies', () => {
  const model = cluster({ 'scratch/cm.yaml': DUPLICATE });
  const findings = check(model, 'yaml/duplicate-key');
  assert.deepEqual(findings.map((f) => [f.file, f.severity, at(f)]), [['scratch/cm.yaml', 'warning', '9:3-9:7']]);
});

test('yaml/duplicate-key is quiet on other tools\' YAML, templates, merge keys, and distinct keys', () => {
  const model = cluster({
    '.github/workflows/ci.yaml': 'on: push\non: pull_request\njobs:\n  a:\n    runs-on: x\n',
    'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
    'charts/app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nkind: ConfigMap\n',
    'clusters/c/merge.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\nx: &base {a: 1}\ndata:\n  <<: *base\n  <<: {b: 2}\n  c: "3"\n',
    'clusters/c/nested.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\n  labels: {name: x}\n',
  });
  assert.deepEqual(check(model, 'yaml/duplicate-key'), []);
});

test('yaml/duplicate-key offers no fix in a SOPS-encrypted file (its MAC covers every value)', () => {
  const sops = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\n  a: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:m,iv:y,tag:z,type:str]\n  lastmodified: "2024-01-01T00:00:00Z"\n';
  const model = cluster({ 'clusters/c/secret.sops.yaml': sops });
  const [finding] = check(model, 'yaml/duplicate-key');
  assert.equal(at(finding), '7:3-7:4');
  assert.equal(finding.fixes, undefined);
});

test('yaml/duplicate-key: a key written three times gives a finding per repeat, and either fix leaves only the last (found by the fuzzer)', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  memory: a\n  other: b\n  memory: c\n  memory: d\n';
  for (const which of [0, 1]) {
    const model = cluster({ 'clusters/c/cm.yaml': text });
    const findings = check(model, 'yaml/duplicate-key');
    assert.deepEqual(findings.map((f) => at(f)), ['8:3-8:9', '9:3-9:9']);
    const fix = findings[which].fixes![0];
    assert.equal(fix.title, 'Remove the 2 earlier "memory"');
    applyFix(model, fix);
    assert.equal(model.file('clusters/c/cm.yaml')!.text, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  other: b\n  memory: d\n');
    assert.deepEqual(check(model, 'yaml/duplicate-key'), []);
  }
});
