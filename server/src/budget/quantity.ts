// Kubernetes resource.Quantity, parsed as apimachinery's ParseQuantity does and held exactly.
//
// A quantity is a whole number of nano-units (BigInt). That is exact, not an approximation:
// Kubernetes itself rounds every parsed value up (away from zero) to the nearest nano-unit and
// adds quantities without further rounding, so quota sums here match the API server's.
// Deliberate departures from ParseQuantity, each one a linter's choice:
// - a quantity with no digits ("Mi", "k", ".", "-") is rejected; Kubernetes silently reads it
//   as 0 (kubernetes/apimachinery#165), which is never what the author meant;
// - decimal exponents beyond ±1000 are rejected; Kubernetes wraps them to int32.
// Surrounding whitespace is trimmed, as Quantity.UnmarshalJSON does before parsing.

/** How Kubernetes remembers to print a quantity (the suffix family it was written in). */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9 (nano-cores, nano-bytes, ...). */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

export class QuantityError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`"${input}" is not a Kubernetes quantity: ${reason}`);
    this.name = 'QuantityError';
  }
}

export const NANOS_PER_UNIT = 1_000_000_000n;
const NANOS_PER_MILLI = 1_000_000n;
const MAX_INT64 = (1n << 63n) - 1n;
const MAX_EXPONENT = 1000;

const DECIMAL_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);

const BINARY_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);

const SUFFIX_HINT = 'use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3';
const SUFFIX_LETTERS = 'eEinumkKMGTP';
// Go's unicode.IsSpace set, which strings.TrimSpace strips.
const GO_SPACE_CLASS = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const GO_SPACE = new RegExp(`^${GO_SPACE_CLASS}+|${GO_SPACE_CLASS}+$`, 'g');

export const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };

/** Parses a quantity as written in a manifest (a YAML string or number); throws QuantityError. */
export function parseQuantity(input: string | number | bigint): Quantity {
  const result = tryParseQuantity(input);
  if (result instanceof QuantityError) throw result;
  return result;
}

/** Like parseQuantity, but returns the error instead of throwing it. */
export function tryParseQuantity(input: unknown): Quantity | QuantityError {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return new QuantityError(String(input), 'not a finite number');
    return tryParseQuantity(String(input));
  }
  if (typeof input === 'bigint') return tryParseQuantity(String(input));
  if (typeof input !== 'string') {
    return new QuantityError(String(input), `expected a string or a number, found ${describe(input)}`);
  }
  const text = input.replace(GO_SPACE, '');
  if (text === '') return new QuantityError(input, 'it is empty');
  const scanned = scan(text);
  if (typeof scanned === 'string') return new QuantityError(input, scanned);
  const { negative, integerDigits, fractionDigits, suffix } = scanned;
  if (integerDigits === '' && fractionDigits === '') {
    return new QuantityError(input, 'it has no number (Kubernetes would read it as 0)');
  }
  const unit = interpretSuffix(suffix);
  if (typeof unit === 'string') return new QuantityError(input, unit);

  const mantissa = BigInt((integerDigits || '0') + fractionDigits);
  let magnitude: bigint;
  if (unit.base === 10) {
    const shift = unit.exponent - fractionDigits.length + 9;
    magnitude = shift >= 0 ? mantissa * 10n ** BigInt(shift) : ceilDiv(mantissa, 10n ** BigInt(-shift));
  } else {
    const scaled = mantissa * (1n << BigInt(unit.exponent)) * NANOS_PER_UNIT;
    magnitude = ceilDiv(scaled, 10n ** BigInt(fractionDigits.length));
  }
  let format = unit.format;
  // Kubernetes caps binary quantities at the largest int64 and prints tiny ones as decimal.
  if (format === 'BinarySI' && magnitude > MAX_INT64 * NANOS_PER_UNIT) magnitude = MAX_INT64 * NANOS_PER_UNIT;
  if (format === 'BinarySI' && magnitude > 0n && magnitude < NANOS_PER_UNIT) format = 'DecimalSI';
  return { nanos: negative ? -magnitude : magnitude, format };
}

interface Scanned {
  negative: boolean;
  integerDigits: string;
  fractionDigits: string;
  suffix: string;
}

/** The scanner of apimachinery's parseQuantityString: sign, digits, '.', digits, suffix. */
function scan(text: string): Scanned | string {
  let pos = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    pos++;
  }
  const integerStart = pos;
  while (pos < text.length && isDigit(text[pos]!)) pos++;
  const integerDigits = text.slice(integerStart, pos);
  let fractionDigits = '';
  if (text[pos] === '.') {
    const fractionStart = ++pos;
    while (pos < text.length && isDigit(text[pos]!)) pos++;
    fractionDigits = text.slice(fractionStart, pos);
  }
  const suffixStart = pos;
  while (pos < text.length && SUFFIX_LETTERS.includes(text[pos]!)) pos++;
  if (text[pos] === '-' || text[pos] === '+') pos++;
  while (pos < text.length && isDigit(text[pos]!)) pos++;
  if (pos < text.length) {
    const where = pos === 0 ? 'at the start' : `after "${text.slice(0, pos)}"`;
    return `unexpected ${JSON.stringify(text[pos])} ${where}`;
  }
  return { negative, integerDigits, fractionDigits, suffix: text.slice(suffixStart) };
}

interface Unit {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): Unit | string {
  const decimal = DECIMAL_SUFFIXES.get(suffix);
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' };
  const binary = BINARY_SUFFIXES.get(suffix);
  if (binary !== undefined) return { base: 2, exponent: binary, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const digits = suffix.slice(1);
    if (/^[+-]?[0-9]+$/.test(digits)) {
      const exponent = Number(digits);
      if (Math.abs(exponent) > MAX_EXPONENT) return `exponent ${digits} is out of range (±${MAX_EXPONENT})`;
      return { base: 10, exponent, format: 'DecimalExponent' };
    }
  }
  return `unknown suffix "${suffix}" (${SUFFIX_HINT})`;
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : typeof value;
}

/** Division that rounds the magnitude up, for non-negative operands. */
export function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

/** A quantity from a whole number of units (pods, GPUs, cores). */
export function quantityOfUnits(units: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nanos: BigInt(units) * NANOS_PER_UNIT, format };
}

/** Sum; like Quantity.Add, the result keeps the format of the first non-zero operand. */
export function add(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

export function subtract(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos - b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

export function sum(quantities: Iterable<Quantity>): Quantity {
  let total = ZERO;
  for (const q of quantities) total = add(total, q);
  return total;
}

/** Multiplies by a whole number (a replica count); throws on a fractional factor. */
export function multiply(q: Quantity, factor: bigint | number): Quantity {
  if (typeof factor === 'number' && !Number.isSafeInteger(factor)) {
    throw new RangeError(`multiply: factor ${factor} is not a whole number`);
  }
  return { nanos: q.nanos * BigInt(factor), format: q.format };
}

export function compare(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

export function max(a: Quantity, b: Quantity): Quantity {
  return compare(a, b) >= 0 ? a : b;
}

export function isZero(q: Quantity): boolean {
  return q.nanos === 0n;
}

/** Quantity.MilliValue: the value in thousandths, rounded up, as the scheduler counts cpu. */
export function milliValue(q: Quantity): bigint {
  return ceilToward(q.nanos, NANOS_PER_MILLI);
}

/** Quantity.Value: the value in units, rounded up. */
export function unitValue(q: Quantity): bigint {
  return ceilToward(q.nanos, NANOS_PER_UNIT);
}

/** Ceiling of n / d for positive d, towards +infinity. */
function ceilToward(n: bigint, d: bigint): bigint {
  const quotient = n / d;
  return n % d > 0n ? quotient + 1n : quotient;
}
