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
