// Printing quantities: Kubernetes' canonical form, and a human form chosen by resource name.
import { NANOS_PER_UNIT, ceilDiv, type Quantity } from './quantity';
import { resourceClass } from './resource-names';

const DECIMAL_SUFFIX_BY_EXPONENT: ReadonlyMap<number, string> = new Map([
  [-9, 'n'],
  [-6, 'u'],
  [-3, 'm'],
  [0, ''],
  [3, 'k'],
  [6, 'M'],
  [9, 'G'],
  [12, 'T'],
  [15, 'P'],
  [18, 'E'],
]);
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const KI = 1024n;
const MI = KI * KI;
const GI = MI * KI;
const TI = GI * KI;
const MILLI = 1_000_000n;

/** Quantity.String(): what `kubectl get -o yaml` shows for this quantity. */
export function canonical(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  const magnitude = q.nanos < 0n ? -q.nanos : q.nanos;
  const sign = q.nanos < 0n ? '-' : '';
  // Binary form only for whole values of at least 1024; anything else would lose digits.
  if (q.format === 'BinarySI' && magnitude >= KI * NANOS_PER_UNIT && magnitude % NANOS_PER_UNIT === 0n) {
    let units = magnitude / NANOS_PER_UNIT;
    let power = 0;
    while (power < BINARY_SUFFIXES.length - 1 && units % KI === 0n) {
      units /= KI;
      power++;
    }
    return `${sign}${units}${BINARY_SUFFIXES[power]}`;
  }
  let mantissa = magnitude;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const excess = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(excess);
  exponent -= excess;
  const suffix =
    q.format === 'DecimalExponent' || !DECIMAL_SUFFIX_BY_EXPONENT.has(exponent)
      ? exponent === 0
        ? ''
        : `e${exponent}`
      : DECIMAL_SUFFIX_BY_EXPONENT.get(exponent)!;
  return `${sign}${mantissa}${suffix}`;
}

/**
 * The form a person would write for this resource: cpu as `500m` or `1.5`, bytes in Ti/Gi/Mi
 * where that is exact, counts as plain integers; anything else in canonical form.
 */
export function formatQuantity(q: Quantity, resourceName: string): string {
  if (q.nanos === 0n) return '0';
  const magnitude = q.nanos < 0n ? -q.nanos : q.nanos;
  const sign = q.nanos < 0n ? '-' : '';
  switch (resourceClass(resourceName)) {
    case 'cpu':
      if (magnitude % 1_000_000n !== 0n) return canonical(q);
      if (magnitude < NANOS_PER_UNIT) return `${sign}${magnitude / 1_000_000n}m`;
      return `${sign}${decimal(magnitude)}`;
    case 'bytes': {
      if (magnitude % NANOS_PER_UNIT !== 0n) return canonical(q);
      const bytes = magnitude / NANOS_PER_UNIT;
      for (const [size, suffix] of [
        [TI, 'Ti'],
        [GI, 'Gi'],
        [MI, 'Mi'],
      ] as const) {
        if (bytes >= size && bytes % size === 0n) return `${sign}${bytes / size}${suffix}`;
      }
      return canonical(q);
    }
    case 'count':
      return magnitude % NANOS_PER_UNIT === 0n ? `${sign}${magnitude / NANOS_PER_UNIT}` : canonical(q);
  }
}

/**
 * For messages: the exact human form when there is one, else a value rounded up to two decimals
 * of a binary unit (or to a milli-core) and marked `~`, so `36M + 128Mi` reads `~162.33Mi`
 * rather than `170217472`.
 */
export function formatApproximately(q: Quantity, resourceName: string): string {
  const exact = formatQuantity(q, resourceName);
  const magnitude = q.nanos < 0n ? -q.nanos : q.nanos;
  const sign = q.nanos < 0n ? '-' : '';
  switch (resourceClass(resourceName)) {
    case 'cpu': {
      if (magnitude % MILLI === 0n) return exact;
      const millis = ceilDiv(magnitude, MILLI) * MILLI;
      return `~${formatQuantity({ nanos: q.nanos < 0n ? -millis : millis, format: q.format }, resourceName)}`;
    }
    case 'bytes': {
      if (/^-?\d+(Mi|Gi|Ti)$/.test(exact) || magnitude < KI * NANOS_PER_UNIT) return exact;
      const [size, suffix] =
        magnitude >= GI * NANOS_PER_UNIT ? [GI, 'Gi'] : magnitude >= MI * NANOS_PER_UNIT ? [MI, 'Mi'] : [KI, 'Ki'];
      const hundredths = ceilDiv(magnitude * 100n, size * NANOS_PER_UNIT);
      const fraction = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
      return `~${sign}${hundredths / 100n}${fraction ? `.${fraction}` : ''}${suffix}`;
    }
    case 'count':
      return exact;
  }
}

/** Plain decimal notation of a nano-unit magnitude: 1500000000n → "1.5". */
export function decimal(nanos: bigint): string {
  const sign = nanos < 0n ? '-' : '';
  const magnitude = nanos < 0n ? -nanos : nanos;
  const whole = magnitude / NANOS_PER_UNIT;
  const fraction = (magnitude % NANOS_PER_UNIT).toString().padStart(9, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}
