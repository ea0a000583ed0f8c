import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, FLUX_SYSTEM_SYNC, repo, yaml } from '../../helpers/repo';

/** A repository whose cluster `c` applies everything under clusters/c (a plain folder), plus `files`. */
function cluster(files: Record<string, string>) {
  return repo({ 'clusters/c/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('c'), ...files });
}

test('yaml/syntax fires as an error at the broken token where a cluster applies the file', () => {
  const model = cluster({ 'clusters/c/a.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "open\n  b: 1\n' });
  const findings = check(model, 'yaml/syntax');
  assert.equal(findings.length, 1);
  assert.equal(findings[0].file, 'clusters/c/a.yaml');
  assert.equal(findings[0].severity, 'error');
  assert.equal(findings[0].message, 'Missing closing "quote');
  assert.equal(at(findings[0]), '4:6-4:11');
});

test('yaml/syntax reports one finding per file, at the first problem, with the count of the others, and keeps the good documents', () => {
  const model = cluster({ 'clusters/c/a.yaml': 'kind: A\napiVersion: v1\nmetadata: {name: a}\n---\nkey: [unclosed\n---\napiVersion: v1\nkind: B\nmetadata:\n  name: b\n---\nc: [x\n' });
  const findings = check(model, 'yaml/syntax');
  assert.equal(findings.length, 1);
  assert.equal(at(findings[0]), '5:6-5:15');
  assert.equal(findings[0].message, 'Flow sequence in block collection must be sufficiently indented and end with a ] (and 1 more syntax error in this file)');
  assert.deepEqual(model.file('clusters/c/a.yaml')!.resources.map((r) => r.kind), ['A', 'B']);
});

test('yaml/syntax is an error in a file a kustomization lists, even when no cluster applies it', () => {
  const model = repo({ 'apps/kustomization.yaml': 'resources:\n  - a.yaml\n', 'apps/a.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: [x\n' });
  const findings = check(model, 'yaml/syntax');
  assert.deepEqual(findings.map((f) => [f.file, f.severity]), [['apps/a.yaml', 'error']]);
  assert.equal(model.fileKind('apps/a.yaml')?.reason, 'apps/kustomization.yaml lists it (no cluster applies that kustomization)');
});

test('yaml/syntax is one information in a manifest no cluster applies', () => {
  const model = cluster({ 'scratch/a.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "open\n  b: [x\n' });
  const findings = check(model, 'yaml/syntax');
  assert.equal(findings.length, 1);
  assert.equal(findings[0].severity, 'information');
  assert.equal(findings[0].message, 'Missing closing "quote; no cluster applies this file');
  assert.equal(at(findings[0]), '4:6-4:11');
});

test('yaml/syntax is quiet on Helm chart templates, Jinja templates and other tools\' YAML, wherever they are', () => {
  const model = cluster({
    'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
    'charts/app/templates/deployment.yaml': yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: {{ include "app.fullname" . }}
      spec:
        {{- if .Values.replicas }}
        replicas: {{ .Values.replicas }}
        {{- end }}
    `,
    'ansible/roles/k3s/templates/config.yaml': '{% for node in nodes %}\n- name: {{ node }}\n{% endfor %}\n',
    '.github/workflows/ci.yaml': 'on: push\njobs:\n  test: [\n',
    'tmp/notes.yaml': '{% if x %}\nkey: [\n',
  });
  assert.deepEqual(check(model, 'yaml/syntax'), []);
  assert.equal(model.file('charts/app/templates/deployment.yaml')!.resources.length, 0);
});

test('yaml/syntax is quiet on valid YAML, anchors, empty files and strings holding {{ }}', () => {
  const model = cluster({
    'clusters/c/a.yaml': 'x: &a {b: 1}\ny: *a\n',
    'clusters/c/b.yaml': '',
    'clusters/c/c.yaml': '# only a comment\n',
    'clusters/c/rule.yaml': yaml`
      apiVersion: monitoring.coreos.com/v1
      kind: PrometheusRule
      metadata:
        name: r
      spec:
        groups:
          - name: g
            rules:
              - alert: Down
                annotations:
                  summary: Host {{ $labels.instance }} is down # {{ not a template }}
                  description: |
                    {{ $labels.instance }} has been down for 5 minutes.
    `,
  });
  assert.deepEqual(check(model, 'yaml/syntax'), []);
  assert.equal(model.fileKind('clusters/c/rule.yaml')?.kind, 'applied');
  assert.deepEqual(model.file('clusters/c/rule.yaml')!.resources.map((r) => r.kind), ['PrometheusRule']);
});

test('yaml/syntax warns where only strict YAML refuses a quoted value that kustomize reads, and the model reads it as Go yaml does', () => {
  const text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  script: 'foo\n    bar\n  '\n  other: \"x\ny\"\n  last: '1'\n";
  const model = cluster({ 'clusters/c/cm.yaml': text });
  const findings = check(model, 'yaml/syntax');
  assert.equal(findings.length, 1);
  assert.equal(findings[0].severity, 'warning');
  assert.equal(findings[0].message, 'Strict YAML refuses this quoted value: its continuation lines are indented less than its key (kustomize reads it) (and 1 more such value in this file)');
  assert.equal(at(findings[0]), '6:11-6:15');
  const [resource] = model.file('clusters/c/cm.yaml')!.resources;
  // What `kubectl kustomize` prints for this file.
  assert.deepEqual(resource.object.data, { script: 'foo bar ', other: 'x y', last: '1' });
  // Ranges are those of the original text.
  assert.equal(at({ range: model.rangeOf(resource, ['data', 'last']) } as never), '11:9-11:12');
});

test('yaml/syntax stays an error where the quote is never closed, or a document marker ends the value', () => {
  const model = cluster({ 'clusters/c/cm.yaml': "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: 'foo\n---\nb: x'\n" });
  const findings = check(model, 'yaml/syntax');
  assert.equal(findings.length, 1);
  assert.equal(findings[0].severity, 'error');
});

test('yaml/syntax keeps a bounded number of problems for a file of many errors, and counts them all', () => {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) lines.push(i % 2 ? `  key${i}: "open` : `kind: [x${i}`);
  const model = cluster({ 'clusters/c/big.yaml': lines.join('\n') + '\n' });
  const file = model.file('clusters/c/big.yaml')!;
  assert.equal(file.syntaxErrors.length, 20);
  // Every broken line is counted, not only the ones kept.
  assert.ok(file.syntaxErrorCount > 2000);
  assert.ok(file.documents.every((d) => d.errors.length <= 20));
  const findings = check(model, 'yaml/syntax');
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, new RegExp(`\\(and ${file.syntaxErrorCount - 1} more syntax errors in this file\\)$`));
});

test('yaml/syntax is an error for a template a cluster applies: Flux cannot decode it either', () => {
  const model = cluster({ 'clusters/c/notes.yaml': '{% if x %}\nkey: [\n' });
  const findings = check(model, 'yaml/syntax');
  assert.deepEqual(findings.map((f) => [f.file, f.severity, at(f)]), [['clusters/c/notes.yaml', 'error', '1:2-1:3']]);
  assert.equal(model.fileKind('clusters/c/notes.yaml')?.reason, 'cluster c applies it');
});

test('yaml/syntax warns where a comment follows a closing quote or bracket without white space, which kustomize reads', () => {
  const model = cluster({ 'clusters/c/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a: "x"#note\n  b: "[1]"\n  c: "open\n  d: "#34577c"\n' });
  const findings = check(model, 'yaml/syntax');
  assert.deepEqual(findings.map((f) => [f.severity, at(f), f.message]), [
    ['warning', '6:9-6:14', 'Strict YAML refuses a comment without white space before its # (kustomize reads it) (and 2 more such values in this file)'],
  ]);
  // What `kubectl kustomize` prints for this file.
  assert.deepEqual(model.file('clusters/c/cm.yaml')!.resources[0].object.data, { a: 'x', b: '[1]', c: 'open d: ' });
});

test('yaml/syntax warns where a flow sequence or mapping continues on lines indented less than its key, which kustomize reads', () => {
  const model = cluster({ 'clusters/c/cm.yaml': 'apiVersion: v1\nkind: List\nmetadata:\n  name: a\nitems:\n  - a: [1, "]",\n 2]\n    b: {c: 1,\n d: [3]}\n' });
  const findings = check(model, 'yaml/syntax');
  assert.deepEqual(findings.map((f) => [f.severity, at(f), f.message]), [
    ['warning', '6:8-6:16', 'Strict YAML refuses this flow sequence: its continuation lines are indented less than its key (kustomize reads it) (and 1 more such value in this file)'],
  ]);
  assert.deepEqual(model.file('clusters/c/cm.yaml')!.resources[0].object.items, [{ a: [1, ']', 2], b: { c: 1, d: [3] } }]);
});
