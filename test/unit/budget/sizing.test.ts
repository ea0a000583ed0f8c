import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseQuantity, type Quantity } from '../../../server/src/budget/quantity';
import { formatQuantity } from '../../../server/src/budget/quantity-format';
import { sizeForQuota } from '../../../server/src/budget/sizing';

const size = (need: string, resource: string, headroom?: number) =>
  formatQuantity(sizeForQuota(parseQuantity(need), resource, headroom), resource);

describe('sizeForQuota', () => {
  it('adds 20% headroom by default and rounds cpu to 100m under one core', () => {
    assert.equal(size('250m', 'requests.cpu'), '300m');
    assert.equal(size('10m', 'requests.cpu'), '100m');
    assert.equal(size('800m', 'requests.cpu'), '1');
  });

  it('rounds cpu to 500m steps up to four cores, whole cores beyond', () => {
    assert.equal(size('1', 'limits.cpu'), '1.5');
    assert.equal(size('3', 'limits.cpu'), '4');
    assert.equal(size('3.5', 'limits.cpu'), '5');
    assert.equal(size('10', 'cpu'), '12');
  });

  it('rounds memory to 64Mi, then 256Mi, then 1Gi steps', () => {
    assert.equal(size('100Mi', 'requests.memory'), '128Mi');
    assert.equal(size('400Mi', 'requests.memory'), '512Mi');
    assert.equal(size('1Gi', 'limits.memory'), '1280Mi');
    assert.equal(size('4Gi', 'limits.memory'), '5Gi');
    assert.equal(size('500M', 'memory'), '768Mi');
  });

  it('rounds counts up to whole numbers', () => {
    assert.equal(size('7', 'pods'), '9');
    assert.equal(size('5', 'pods', 0), '5');
  });

  it('keeps a zero need at zero and refuses a negative headroom', () => {
    assert.equal(size('0', 'requests.cpu'), '0');
    assert.throws(() => sizeForQuota(parseQuantity('1'), 'cpu', -5), RangeError);
  });

  it('covers the need with its headroom, on a step (resizing without headroom keeps it)', () => {
    const resource = fc.constantFrom('requests.cpu', 'limits.memory', 'pods');
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 21n }), resource, fc.integer({ min: 0, max: 100 }), (nanos, name, h) => {
        const need: Quantity = { nanos, format: 'DecimalSI' };
        const sized = sizeForQuota(need, name, h).nanos;
        const grown = nanos * BigInt(100 + h);
        if (sized * 100n < grown) return false;
        return sizeForQuota({ nanos: sized, format: 'DecimalSI' }, name, 0).nanos === sized;
      }),
    );
  });
});
