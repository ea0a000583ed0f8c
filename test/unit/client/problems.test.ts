import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeProblems, problemBadge, problemsFromQuery, problemsUriString, sumProblems } from '../../../client/src/views/problems';

test('problem counts are described in words, only those that are not zero', () => {
  assert.equal(describeProblems({ errors: 2, warnings: 1, others: 0 }), '2 errors, 1 warning');
  assert.equal(describeProblems({ errors: 0, warnings: 0, others: 1 }), '1 other problem');
  assert.equal(describeProblems({ errors: 0, warnings: 0, others: 0 }), undefined);
  assert.equal(describeProblems(undefined), undefined);
});

test('the badge is the error count, else the warning count, at most two characters; information alone has none', () => {
  assert.deepEqual(problemBadge({ errors: 3, warnings: 5, others: 0 }), { text: '3', severity: 'error', tooltip: '3 errors, 5 warnings' });
  assert.deepEqual(problemBadge({ errors: 0, warnings: 12, others: 0 }), { text: '9+', severity: 'warning', tooltip: '12 warnings' });
  assert.equal(problemBadge({ errors: 0, warnings: 0, others: 4 }), undefined);
});

test('a decoration URI carries the counts, and a changed count is a different URI', () => {
  const counts = { errors: 2, warnings: 0, others: 7 };
  const uri = new URL(problemsUriString('cluster:prod/ks:flux-system/apps', counts));
  assert.equal(uri.protocol, 'gitops-guardrails-problems:');
  assert.deepEqual(problemsFromQuery(uri.search.slice(1)), counts);
  assert.notEqual(problemsUriString('a', counts), problemsUriString('a', { ...counts, errors: 1 }));
  assert.deepEqual(problemsFromQuery('e=x&w=-1'), { errors: 0, warnings: 0, others: 0 });
});

test('problem counts add up', () => {
  assert.deepEqual(sumProblems([{ errors: 1, warnings: 2, others: 3 }, { errors: 4, warnings: 0, others: 1 }]), { errors: 5, warnings: 2, others: 4 });
  assert.deepEqual(sumProblems([]), { errors: 0, warnings: 0, others: 0 });
});
