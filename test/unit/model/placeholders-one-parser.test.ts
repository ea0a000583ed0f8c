// Every reader of Flux `${...}` placeholders asks the one parser (model/build/envsubst.ts): an
// escaped `$${VAR}` is text Flux leaves as `${VAR}`, not a placeholder, wherever it is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPlaceholder } from '../../../server/src/schema/tolerance';
import { isReference } from '../../../server/src/rules/sops-policy';
import { hasPlaceholder } from '../../../server/src/rules/credentials';

test('schema tolerance: a placeholder stands for a value, an escaped one is the literal text Flux leaves', () => {
  assert.equal(isPlaceholder('${REPLICAS}'), true);
  assert.equal(isPlaceholder('${REPLICAS:-2}'), true);
  assert.equal(isPlaceholder('x-${ENV:=prod}'), true);
  // Never closed: Flux refuses it (flux/invalid-substitution says so); the schema says nothing more.
  assert.equal(isPlaceholder('${REPLICAS'), true);
  assert.equal(isPlaceholder('$${REPLICAS}'), false);
  assert.equal(isPlaceholder('3'), false);
});

test('a whole placeholder is a reference, whatever its operator; an escaped one is not', () => {
  assert.equal(isReference('${DB_PASSWORD}'), true);
  assert.equal(isReference('${DB_PASSWORD:-}'), true);
  assert.equal(isReference(' ${DB_PASSWORD:=x} '), true);
  assert.equal(isReference('$${DB_PASSWORD}'), false);
  assert.equal(hasPlaceholder('$${DB_PASSWORD}'), false);
  assert.equal(hasPlaceholder('${DB_PASSWORD,,}'), true);
});
