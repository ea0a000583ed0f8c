// Flux's post-build substitution, case by case from the kustomize-controller documentation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envsubst, parseExpressions } from '../../../../server/src/model/build';

test('a variable is replaced by its value', () => {
  assert.equal(envsubst('region: ${cluster_region}', { cluster_region: 'eu-central-1' }).text, 'region: eu-central-1');
});

test('an undefined variable becomes the empty string and is reported', () => {
  const result = envsubst('a: "${missing}"', {});
  assert.equal(result.text, 'a: ""');
  assert.deepEqual(result.undefinedNames, ['missing']);
});

test('defaults apply when the variable is unset or empty: := = :- -', () => {
  for (const op of [':=', '=', ':-', '-']) {
    assert.equal(envsubst(`\${v${op}fallback}`, {}).text, 'fallback', op);
    assert.equal(envsubst(`\${v${op}fallback}`, { v: '' }).text, 'fallback', op);
    assert.equal(envsubst(`\${v${op}fallback}`, { v: 'set' }).text, 'set', op);
  }
});

test('$${var} is kept as ${var}, and $var without braces is not substituted', () => {
  assert.equal(envsubst('echo $${HOME} $HOME ${X}', { X: 'x', HOME: 'h' }).text, 'echo ${HOME} $HOME x');
});

test('case operators', () => {
  assert.equal(envsubst('${v^^} ${v,,} ${v^}', { v: 'mIxed' }).text, 'MIXED mixed MIxed');
});

test('a variable whose value the build cannot see stays as written', () => {
  const result = envsubst('${known} ${fromSecret}', { known: 'k' }, (name) => name === 'fromSecret');
  assert.equal(result.text, 'k ${fromSecret}');
  assert.deepEqual(result.unknownNames, ['fromSecret']);
});

test('parseExpressions gives offsets, operators and invalid expressions', () => {
  const [a, b, c] = parseExpressions('x ${a:=1} $${skip} ${b} ${9bad}');
  assert.deepEqual(a, { start: 2, end: 9, name: 'a', operator: ':=', argument: '1' });
  assert.deepEqual(b, { start: 19, end: 23, name: 'b', operator: '' });
  assert.equal(c.name, '');
  assert.match(c.invalid ?? '', /does not start with a variable name/);
});
