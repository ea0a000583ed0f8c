import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  add,
  compare,
  milliValue,
  multiply,
  parseQuantity,
  QuantityError,
  sum,
  tryParseQuantity,
  unitValue,
} from '../../../server/src/budget/quantity';

const NANO = 1_000_000_000n;

describe('parseQuantity: what Kubernetes accepts', () => {
  const cases: Array<[string | number | bigint, bigint, string]> = [
    ['0', 0n, 'DecimalSI'],
    ['100m', 100_000_000n, 'DecimalSI'],
    ['500m', 500_000_000n, 'DecimalSI'],
    ['1', NANO, 'DecimalSI'],
    ['+1', NANO, 'DecimalSI'],
    ['-1.5', -1_500_000_000n, 'DecimalSI'],
    ['.5', 500_000_000n, 'DecimalSI'],
    ['1.', NANO, 'DecimalSI'],
    ['007', 7n * NANO, 'DecimalSI'],
    ['1n', 1n, 'DecimalSI'],
    ['1u', 1000n, 'DecimalSI'],
    ['2k', 2000n * NANO, 'DecimalSI'],
    ['1M', 1_000_000n * NANO, 'DecimalSI'],
    ['1G', 10n ** 9n * NANO, 'DecimalSI'],
    ['1T', 10n ** 12n * NANO, 'DecimalSI'],
    ['1P', 10n ** 15n * NANO, 'DecimalSI'],
    ['1E', 10n ** 18n * NANO, 'DecimalSI'],
    ['1Ki', 1024n * NANO, 'BinarySI'],
    ['64Mi', 64n * 2n ** 20n * NANO, 'BinarySI'],
    ['0.5Gi', 2n ** 29n * NANO, 'BinarySI'],
    ['1.5Gi', 3n * 2n ** 29n * NANO, 'BinarySI'],
    ['1Ti', 2n ** 40n * NANO, 'BinarySI'],
    ['1Pi', 2n ** 50n * NANO, 'BinarySI'],
    ['1Ei', 2n ** 60n * NANO, 'BinarySI'],
    ['1.1Ki', 1_126_400_000_000n, 'BinarySI'],
    ['1e3', 1000n * NANO, 'DecimalExponent'],
    ['1E3', 1000n * NANO, 'DecimalExponent'],
    ['1e+3', 1000n * NANO, 'DecimalExponent'],
    ['1.5e-3', 1_500_000n, 'DecimalExponent'],
    ['12e-9', 12n, 'DecimalExponent'],
    [' 1Gi\n', 2n ** 30n * NANO, 'BinarySI'],
    ['\u00a01\u3000', NANO, 'DecimalSI'],
    [2, 2n * NANO, 'DecimalSI'],
    [0.25, 250_000_000n, 'DecimalSI'],
    [1e21, 10n ** 21n * NANO, 'DecimalExponent'],
    [12345678901234567890n, 12345678901234567890n * NANO, 'DecimalSI'],
  ];
  for (const [input, nanos, format] of cases) {
    it(`${typeof input === 'bigint' ? `${input}n` : JSON.stringify(input)} is ${nanos} nano-units (${format})`, () => {
      assert.deepEqual(parseQuantity(input), { nanos, format });
    });
  }

  it('rounds values finer than a nano-unit up, away from zero, as Kubernetes does', () => {
    assert.equal(parseQuantity('0.5n').nanos, 1n);
    assert.equal(parseQuantity('1.5n').nanos, 2n);
    assert.equal(parseQuantity('-0.5n').nanos, -1n);
    assert.equal(parseQuantity('1e-12').nanos, 1n);
    assert.equal(parseQuantity('0.0000000001Ki').nanos, 103n);
  });

  it('caps binary quantities at the largest int64, as Kubernetes does', () => {
    assert.equal(parseQuantity('8Ei').nanos, ((1n << 63n) - 1n) * NANO);
    assert.equal(parseQuantity('8E').nanos, 8n * 10n ** 18n * NANO);
  });

  it('prints binary quantities under 1 as decimal', () => {
    assert.equal(parseQuantity('0.5Ki').format, 'BinarySI');
    assert.equal(parseQuantity('0.0001Ki').format, 'DecimalSI');
  });
});

describe('parseQuantity: what Kubernetes rejects', () => {
  const cases: Array<[unknown, string]> = [
    ['1.5.5', 'unexpected "." after "1.5"'],
    ['1 Gi', 'unexpected " " after "1"'],
    ['1e3.5', 'unexpected "." after "1e3"'],
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['Mi', 'it has no number (Kubernetes would read it as 0)'],
    ['-', 'it has no number (Kubernetes would read it as 0)'],
    ['.', 'it has no number (Kubernetes would read it as 0)'],
    ['1mi', 'unknown suffix "mi" (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)'],
    ['1K', 'unknown suffix "K" (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)'],
    ['1i', 'unknown suffix "i" (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)'],
    ['1e', 'unknown suffix "e" (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)'],
    ['1e+', 'unknown suffix "e+" (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)'],
    ['1Ki3', 'unknown suffix "Ki3" (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)'],
    ['1MB', 'unexpected "B" after "1M"'],
    ['one', 'unexpected "o" at the start'],
    ['\ufeff1', 'unexpected "\ufeff" at the start'],
    ['1e1001', 'exponent 1001 is out of range (±1000)'],
    [Number.NaN, 'not a finite number'],
    [null, 'expected a string or a number, found null'],
    [{ cpu: 1 }, 'expected a string or a number, found a map'],
  ];
  for (const [input, reason] of cases) {
    it(`${JSON.stringify(input) ?? String(input)}: ${reason}`, () => {
      const result = tryParseQuantity(input);
      assert.ok(result instanceof QuantityError);
      assert.equal(result.reason, reason);
      assert.equal(result.message, `"${String(input)}" is not a Kubernetes quantity: ${reason}`);
    });
  }

  it('throws the same error from parseQuantity', () => {
    assert.throws(() => parseQuantity('1.5.5'), {
      name: 'QuantityError',
      message: '"1.5.5" is not a Kubernetes quantity: unexpected "." after "1.5"',
    });
  });
});

// An independent reference: the grammar written as one regular expression, and the value as an
// exact fraction whose ceiling is taken once.
const SUFFIX_EXPONENTS: Record<string, [bigint, bigint]> = {
  n: [10n, -9n], u: [10n, -6n], m: [10n, -3n], '': [10n, 0n], k: [10n, 3n], M: [10n, 6n], G: [10n, 9n],
  T: [10n, 12n], P: [10n, 15n], E: [10n, 18n], Ki: [2n, 10n], Mi: [2n, 20n], Gi: [2n, 30n], Ti: [2n, 40n],
  Pi: [2n, 50n], Ei: [2n, 60n],
};
const GRAMMAR = /^([+-]?)(?=\.?[0-9])([0-9]*)(?:\.([0-9]*))?([numkMGTPE]|[KMGTPE]i|[eE][+-]?[0-9]+)?$/;

function referenceNanos(text: string): bigint | undefined {
  const m = GRAMMAR.exec(text);
  if (!m) return undefined;
  const [, sign, whole, fraction = '', suffix = ''] = m;
  let numerator = BigInt(`${whole}${fraction}` || '0') * NANO;
  let denominator = 10n ** BigInt(fraction.length);
  const [base, exponent] = /^[eE][+-]?[0-9]/.test(suffix) ? [10n, BigInt(suffix.slice(1))] : SUFFIX_EXPONENTS[suffix]!;
  // Our one deliberate limit: exponents beyond ±1000 are refused rather than wrapped.
  if (exponent > 1000n || exponent < -1000n) return undefined;
  if (exponent >= 0n) numerator *= base ** exponent;
  else denominator *= base ** -exponent;
  let magnitude = numerator / denominator + (numerator % denominator === 0n ? 0n : 1n);
  const cap = ((1n << 63n) - 1n) * NANO;
  if (suffix.endsWith('i') && magnitude > cap) magnitude = cap;
  return sign === '-' ? -magnitude : magnitude;
}

const suffixArb = fc.constantFrom(...Object.keys(SUFFIX_EXPONENTS), 'e3', 'E-2', 'e+12', 'e-15', 'e0');
const quantityTextArb = fc
  .tuple(
    fc.constantFrom('', '+', '-'),
    fc.stringMatching(/^[0-9]{0,12}$/),
    fc.option(fc.stringMatching(/^[0-9]{0,12}$/), { nil: undefined }),
    suffixArb,
  )
  .map(([sign, whole, fraction, suffix]) => `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}${suffix}`);

describe('parseQuantity against an exact reference', () => {
  it('parses every well-formed quantity to the reference value', () => {
    fc.assert(
      fc.property(quantityTextArb, (text) => {
        const expected = referenceNanos(text);
        const result = tryParseQuantity(text);
        if (expected === undefined) return result instanceof QuantityError;
        return !(result instanceof QuantityError) && result.nanos === expected;
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly the strings the grammar accepts', () => {
    const noisy = fc.stringMatching(/^[-+0-9.eEinumkKMGTP ]{0,8}$/);
    fc.assert(
      fc.property(noisy, (text) => {
        const trimmed = text.trim();
        const expected = trimmed === '' ? undefined : referenceNanos(trimmed);
        const result = tryParseQuantity(text);
        if (expected === undefined) return result instanceof QuantityError;
        return !(result instanceof QuantityError) && result.nanos === expected;
      }),
      { numRuns: 3000 },
    );
  });

  it('sums exactly, with no floating-point drift', () => {
    fc.assert(
      fc.property(fc.array(quantityTextArb.filter((t) => referenceNanos(t) !== undefined), { maxLength: 20 }), (texts) => {
        const total = sum(texts.map((t) => parseQuantity(t)));
        return total.nanos === texts.reduce((acc, t) => acc + referenceNanos(t)!, 0n);
      }),
    );
    assert.equal(sum(Array.from({ length: 10 }, () => parseQuantity('0.1'))).nanos, NANO);
  });
});

describe('quantity arithmetic', () => {
  it('multiplies by a whole replica count and refuses fractions', () => {
    assert.equal(multiply(parseQuantity('500m'), 6).nanos, 3n * NANO);
    assert.equal(multiply(parseQuantity('1Gi'), 3n).nanos, 3n * 2n ** 30n * NANO);
    assert.throws(() => multiply(parseQuantity('1'), 1.5), RangeError);
  });

  it('keeps the format of the first non-zero operand, as Quantity.Add does', () => {
    assert.equal(add(parseQuantity('0'), parseQuantity('1Gi')).format, 'BinarySI');
    assert.equal(add(parseQuantity('1G'), parseQuantity('1Gi')).format, 'DecimalSI');
  });

  it('compares across suffix families', () => {
    assert.equal(compare(parseQuantity('1Gi'), parseQuantity('1G')), 1);
    assert.equal(compare(parseQuantity('1000m'), parseQuantity('1')), 0);
    assert.equal(compare(parseQuantity('999m'), parseQuantity('1')), -1);
  });

  it('rounds milli and unit values up, as MilliValue and Value do', () => {
    assert.equal(milliValue(parseQuantity('1n')), 1n);
    assert.equal(milliValue(parseQuantity('1.5')), 1500n);
    assert.equal(unitValue(parseQuantity('1001m')), 2n);
    assert.equal(unitValue(parseQuantity('-1500m')), -1n);
  });
});
