// Flux's post-build substitution, case by case from the kustomize-controller documentation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envsubst, parseExpressions } from '../../../../server/src/model/build';
import { substituteKnown, wholeExpression, withDefaults } from '../../../../server/src/model/build/envsubst';

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
  assert.match(c.invalid ?? '', /a name starts with a letter or _/);
});

test('parseExpressions: operators Flux evaluates and this build does not, an expression never closed', () => {
  const [prefix, slice] = parseExpressions('${v#pre} ${v:1:2}');
  assert.equal(prefix.invalid, undefined);
  assert.equal(prefix.operator, '#');
  assert.match(prefix.unevaluated ?? '', /does not evaluate/);
  assert.equal(slice.invalid, undefined);
  assert.ok(slice.unevaluated);
  assert.equal(envsubst('${v#pre}', { v: 'prefix' }).text, '${v#pre}');
  assert.deepEqual(parseExpressions('a ${open'), [{ start: 2, end: 8, name: '', operator: '', invalid: 'it is never closed' }]);
  assert.equal(parseExpressions('${a!b}')[0].invalid, '"!" cannot follow a variable name');
});

test('substituteKnown: every default operator, undefined when a value is missing', () => {
  assert.equal(substituteKnown('${A}-${B:-b}-${C:=c}-${D-d}', { A: 'a' }), 'a-b-c-d');
  assert.equal(substituteKnown('${A}-${B}', { A: 'a' }), undefined);
  assert.equal(substituteKnown('${v#x}', { v: 'xy' }), undefined);
  assert.equal(substituteKnown('plain', {}), 'plain');
});

test('wholeExpression and withDefaults read values as the budgets do', () => {
  assert.deepEqual(wholeExpression(' ${R:-"3"} '), { start: 0, end: 9, name: 'R', operator: ':-', argument: '"3"' });
  assert.equal(wholeExpression('${R}x'), undefined);
  assert.equal(withDefaults('${CPU:-"250"}m'), '250m');
  assert.equal(withDefaults('${CPU:=1}${UNIT}'), undefined);
});
