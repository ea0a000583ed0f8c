import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeNames } from '../../../server/src/model/distance';

test('did-you-mean: close names, closest first', () => {
  assert.deepEqual(closeNames('clusters/prd', ['clusters/prod', 'clusters/staging', 'apps']), ['clusters/prod']);
});

test('did-you-mean: a huge name gets no suggestion instead of a distance quadratic in its length (fuzzer: two 2 MB names)', () => {
  const huge = 'y'.repeat(2_000_000);
  assert.deepEqual(closeNames(huge, [`${huge}z`, 'y']), []);
  assert.deepEqual(closeNames('y', [huge, 'yy']), ['yy']);
});

import fc from 'fast-check';
import { editDistance, NameIndex } from '../../../server/src/model/distance';

test('did-you-mean: ranked by distance, then alphabetically; the name itself and names too far are left out', () => {
  const names = ['gitea-512', 'gitea-51', 'gitea-5123', 'gitea-521', 'gitea-612', 'grafana', 'gitea-512x', 'a'];
  assert.deepEqual(closeNames('gitea-512x', names), ['gitea-512', 'gitea-5123', 'gitea-51', 'gitea-521', 'gitea-612']);
  assert.deepEqual(closeNames('gitea-512x', names, 1), ['gitea-512', 'gitea-5123']);
  assert.deepEqual(closeNames('b', names), ['a']);
  assert.deepEqual(closeNames('', ['a', 'ab', 'abc']), ['a', 'ab']);
});

test('the name index answers exactly the names within the distance that measuring every pair finds', () => {
  const alphabet = fc.constantFrom('a', 'b', 'c', '-', '1', '2');
  const word = fc.array(alphabet, { maxLength: 14 }).map((cs) => cs.join(''));
  fc.assert(
    fc.property(fc.array(word, { maxLength: 40 }), word, fc.integer({ min: 0, max: 4 }), (names, query, k) => {
      const brute = names.map((name, i) => [name, editDistance(name, query), i] as const).filter(([, d]) => d <= k);
      assert.deepEqual(new NameIndex(names).near(query, k), brute.map(([name, d]) => [name, d]));
    }),
    { numRuns: 500 },
  );
});
