import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseQuantity, type Quantity } from '../../../server/src/budget/quantity';
import { canonical, decimal, formatApproximately, formatQuantity } from '../../../server/src/budget/quantity-format';

describe('canonical: Quantity.String()', () => {
  const cases: Array<[string, string]> = [
    ['0', '0'],
    ['0Gi', '0'],
    ['100m', '100m'],
    ['1.5', '1500m'],
    ['1000', '1k'],
    ['1000m', '1'],
    ['1024', '1024'],
    ['12M', '12M'],
    ['1e3', '1e3'],
    ['1.5e3', '1500'],
    ['1.5e-3', '1500e-6'],
    ['1Ki', '1Ki'],
    ['1024Ki', '1Mi'],
    ['0.5Gi', '512Mi'],
    ['1536Mi', '1536Mi'],
    ['2Pi', '2Pi'],
    ['1Ei', '1Ei'],
    ['0.5Ki', '512'],
    ['1.1Ki', '1126400m'],
    ['1500Ki', '1500Ki'],
    ['-1.5Gi', '-1536Mi'],
    ['-250m', '-250m'],
    ['1n', '1n'],
    ['1000u', '1m'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => assert.equal(canonical(parseQuantity(input)), expected));
  }

  it('parses back to the same value', () => {
    const quantity = fc
      .tuple(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.constantFrom('DecimalSI', 'BinarySI', 'DecimalExponent'))
      .map(([nanos, format]): Quantity => ({ nanos, format: format as Quantity['format'] }));
    fc.assert(fc.property(quantity, (q) => parseQuantity(canonical(q)).nanos === q.nanos));
  });
});

describe('formatQuantity: the form a person writes', () => {
  const cases: Array<[string, string, string]> = [
    ['cpu', '0', '0'],
    ['memory', '0Mi', '0'],
    ['cpu', '500m', '500m'],
    ['cpu', '0.5', '500m'],
    ['cpu', '1500m', '1.5'],
    ['requests.cpu', '3', '3'],
    ['limits.cpu', '1250m', '1.25'],
    ['cpu', '1n', '1n'],
    ['memory', '1073741824', '1Gi'],
    ['memory', '1536Mi', '1536Mi'],
    ['requests.memory', '2048Mi', '2Gi'],
    ['limits.memory', '1Ti', '1Ti'],
    ['memory', '500M', '500M'],
    ['memory', '1000Ki', '1000Ki'],
    ['ephemeral-storage', '512Mi', '512Mi'],
    ['hugepages-2Mi', '4Mi', '4Mi'],
    ['requests.storage', '10Gi', '10Gi'],
    ['gold.storageclass.storage.k8s.io/requests.storage', '20Gi', '20Gi'],
    ['pods', '1000', '1000'],
    ['nvidia.com/gpu', '2', '2'],
    ['count/deployments.apps', '1500m', '1500m'],
  ];
  for (const [resource, input, expected] of cases) {
    it(`${resource} ${input} → ${expected}`, () => assert.equal(formatQuantity(parseQuantity(input), resource), expected));
  }

  it('never changes the value', () => {
    const resource = fc.constantFrom('cpu', 'memory', 'pods', 'requests.storage');
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }), resource, (nanos, name) => {
        const q: Quantity = { nanos, format: 'DecimalSI' };
        return parseQuantity(formatQuantity(q, name)).nanos === nanos;
      }),
    );
  });
});

describe('formatApproximately: for messages', () => {
  const cases: Array<[string, string, string]> = [
    ['requests.memory', '1536Mi', '1536Mi'],
    ['requests.memory', '4196749568', '~3.91Gi'],
    ['limits.memory', '170217472', '~162.34Mi'],
    ['memory', '1500', '~1.47Ki'],
    ['memory', '1000', '1k'],
    ['memory', '-4196749568', '~-3.91Gi'],
    ['cpu', '1500m', '1.5'],
    ['cpu', '1500001u', '~1.501'],
    ['cpu', '1n', '~1m'],
    ['pods', '7', '7'],
  ];
  for (const [resource, input, expected] of cases) {
    it(`${resource} ${input} → ${expected}`, () => assert.equal(formatApproximately(parseQuantity(input), resource), expected));
  }

  it('never shows less than the value (rounds up, marks it ~)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 22n }), fc.constantFrom('cpu', 'memory'), (nanos, name) => {
        const shown = formatApproximately({ nanos, format: 'BinarySI' }, name);
        const value = parseQuantity(shown.replace(/^~/, '')).nanos;
        return shown.startsWith('~') ? value > nanos : value === nanos;
      }),
    );
  });
});

describe('decimal', () => {
  it('writes nano-units as a plain decimal', () => {
    assert.equal(decimal(1_500_000_000n), '1.5');
    assert.equal(decimal(-1n), '-0.000000001');
    assert.equal(decimal(3_000_000_000n), '3');
  });
});
