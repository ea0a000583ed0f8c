// A rule that throws is a finding, never a silence; a document over a limit is a finding on its
// file, and no rule reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runChecks } from '../../server/src/check';
import { RULES } from '../../server/src/rules';
import { fileRule, type Rule } from '../../server/src/rules/types';
import { plainValue } from '../../server/src/model/limits';
import { at, check, FLUX_SYSTEM_SYNC, repo } from '../helpers/repo';

const meta = { defaultSeverity: 'warning' as const, description: 'd', help: 'h', fix: '—' };
const throwing: Rule = { ...meta, id: 'test/throws', check: () => { throw new TypeError('boom\nsecond line'); } };
const throwingOnB = fileRule({ ...meta, id: 'test/throws-on-b' }, (_, file) => {
  if (file.path === 'b.yaml') throw new RangeError('Maximum call stack size exceeded');
  return [{ file: file.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'seen' }];
});

test('a rule that throws is an internal/rule-failed error on the repository; the other rules still run', () => {
  const model = repo({ 'a.yaml': 'kind: ConfigMap\n', 'b.yaml': 'kind: ConfigMap\n' });
  const errors: string[] = [];
  const findings = runChecks(model, { rules: [throwing, throwingOnB], onRuleError: (rule, e) => errors.push(`${rule.id}: ${(e as Error).message}`) });
  assert.deepEqual(
    findings.map((f) => `${f.file} ${at(f)} ${f.severity} ${f.rule}: ${f.message}`),
    [
      '. 1:1-1:1 error internal/rule-failed: Rule test/throws failed on this repository, so its findings are missing: TypeError: boom',
      'a.yaml 1:1-1:2 warning test/throws-on-b: seen',
      'b.yaml 1:1-1:1 error internal/rule-failed: Rule test/throws-on-b failed on this file, so its findings are missing: RangeError: Maximum call stack size exceeded',
    ],
  );
  assert.deepEqual(errors, ['test/throws: boom\nsecond line', 'test/throws-on-b: Maximum call stack size exceeded']);
});

test('internal/rule-failed takes a configured severity', () => {
  const model = repo({ '.gitops-guardrails.yaml': 'rules:\n  internal/rule-failed: warning\n', 'a.yaml': 'kind: ConfigMap\n' });
  const [finding] = runChecks(model, { rules: [throwing] });
  assert.equal(finding.rule, 'internal/rule-failed');
  assert.equal(finding.severity, 'warning');
});

test('a document nested deeper than the limit is one yaml/syntax error and no resource; its neighbours are read', () => {
  const deep = 'kind: ConfigMap\nmetadata:\n  name: deep\ndata: ' + '['.repeat(300) + ']'.repeat(300) + '\n';
  // In a folder a cluster applies, so that the finding is an error (elsewhere it is information).
  const model = repo({ 'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'), 'clusters/prod/deep.yaml': `${deep}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n` });
  const findings = check(model, 'yaml/syntax');
  assert.deepEqual(
    findings.map((f) => `${f.severity} ${at(f)} ${f.message}`),
    ['error 1:1-1:16 This document nests deeper than 256 levels: not checked.'],
  );
  assert.deepEqual(model.file('clusters/prod/deep.yaml')!.resources.map((r) => r.name), ['fine']);
  assert.equal(plainValue(model.file('clusters/prod/deep.yaml')!.documents[0]), undefined);
  assert.deepEqual(plainValue(model.file('clusters/prod/deep.yaml')!.documents[1]), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fine' } });
  // Every rule runs on it without throwing.
  assert.doesNotThrow(() => runChecks(model, { rules: RULES, onRuleError: (_, e) => { throw e; } }));
});
