// 200 fuzzed inputs on every `npm test` (test/fuzz/engine.ts); `npm run fuzz -- --runs 10000` is the long run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exampleModel, inputArb, loadSeeds, mutate, newStats, runInput } from '../fuzz/engine';

test('200 mutated inputs through the model, every rule, the LSP features, JSON and the fixes', { timeout: 120_000 }, () => {
  // A bounded sample of the corpus keeps this quick; the long run reads more of it.
  const seeds = loadSeeds(300);
  const model = exampleModel(seeds);
  const stats = newStats();
  let n = 0;
  // The fixes (a re-check after structural edits) on every fourth input keep this under a minute.
  fc.assert(fc.property(inputArb(seeds), (input) => runInput(model, seeds, input, stats, { fixes: n++ % 4 === 0 })), { numRuns: 200, seed: 42 });
  assert.equal(stats.inputs, 200);
  // A rule that throws is caught and reported by the engine (never an escape). Known: rules that
  // expand a file's aliases without a limit (issue 14, item 2); any other cause is a new defect.
  const unexplained = stats.ruleErrorInputs.filter((kinds) => !kinds.includes('alias-bomb'));
  assert.deepEqual(unexplained, [], `rules threw on inputs without an alias bomb: ${[...stats.ruleErrors].map(([id, n]) => `${id} ×${n}`).join(', ')}`);
});

test('the mutations do what they say', () => {
  const text = 'a: 1\nb:\n  c: 2\n';
  assert.equal(mutate(text, { kind: 'delete-line', at: 1 }), 'a: 1\n  c: 2\n');
  assert.equal(mutate(text, { kind: 'duplicate-line', at: 0 }), 'a: 1\na: 1\nb:\n  c: 2\n');
  assert.equal(mutate(text, { kind: 'indent', at: 2, by: -2 }), 'a: 1\nb:\nc: 2\n');
  assert.equal(mutate(text, { kind: 'rename-key', at: 2, name: 'kind' }), 'a: 1\nb:\n  kind: 2\n');
  assert.equal(mutate(text, { kind: 'flip', at: 0, byte: 122 }), 'z: 1\nb:\n  c: 2\n');
  assert.match(mutate(text, { kind: 'alias-bomb', depth: 3 }), /bomb2: &b2 \[\*b1, \*b1/);
  assert.match(mutate(text, { kind: 'deep-nesting', depth: 3, flow: true }), /deep: \[\[\[x\]\]\]/);
  assert.equal(mutate(text, { kind: 'huge-scalar', at: 0, size: 3 }), 'a: 1yyy\nb:\n  c: 2\n');
});
