import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, check, repo } from '../../helpers/repo';

test('yaml/syntax fires at the broken token with the parser message', () => {
  const model = repo({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "open\n  b: 1\n' });
  const findings = check(model, 'yaml/syntax');
  assert.ok(findings.length >= 1);
  assert.equal(findings[0].file, 'a.yaml');
  assert.equal(findings[0].severity, 'error');
  assert.equal(findings[0].message, 'Missing closing "quote');
  assert.equal(at(findings[0]), '4:6-4:11');
});

test('yaml/syntax reports each broken document of a multi-document file and keeps the good ones', () => {
  const model = repo({ 'a.yaml': 'kind: A\napiVersion: v1\nmetadata: {name: a}\n---\nkey: [unclosed\n---\napiVersion: v1\nkind: B\nmetadata:\n  name: b\n' });
  const findings = check(model, 'yaml/syntax');
  assert.equal(findings.length, 1);
  assert.equal(at(findings[0]), '5:6-5:15');
  assert.equal(findings[0].message, 'Flow sequence in block collection must be sufficiently indented and end with a ]');
  assert.deepEqual(model.file('a.yaml')!.resources.map((r) => r.kind), ['A', 'B']);
});

test('yaml/syntax is quiet on valid YAML, anchors and empty files', () => {
  const model = repo({ 'a.yaml': 'x: &a {b: 1}\ny: *a\n', 'b.yaml': '', 'c.yaml': '# only a comment\n' });
  assert.deepEqual(check(model, 'yaml/syntax'), []);
});
