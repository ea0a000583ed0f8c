// Quota sizing: what to write in a generated ResourceQuota for a measured need.
//
// The need is first grown by a headroom percentage (default 20%: room for one more replica or a
// rollout surge on small components), then rounded up to a step a person would pick, so the
// generated file reads `1500m` / `768Mi` rather than `1260m` / `731Mi`.
import { NANOS_PER_UNIT, ceilDiv, type Quantity } from './quantity';
import { resourceClass } from './resource-names';

export const DEFAULT_HEADROOM_PERCENT = 20;

const MILLI = NANOS_PER_UNIT / 1000n;
const MI = 1024n * 1024n * NANOS_PER_UNIT;
const GI = 1024n * MI;

interface Step {
  /** Applies while the grown value is at most this many nanos. */
  upTo: bigint;
  step: bigint;
}

// cpu: 100m steps up to one core, 500m steps up to four cores, whole cores beyond.
const CPU_STEPS: Step[] = [
  { upTo: NANOS_PER_UNIT, step: 100n * MILLI },
  { upTo: 4n * NANOS_PER_UNIT, step: 500n * MILLI },
];
const CPU_LAST_STEP = NANOS_PER_UNIT;

// bytes: 64Mi steps up to 512Mi, 256Mi steps up to 4Gi, whole Gi beyond.
const BYTE_STEPS: Step[] = [
  { upTo: 512n * MI, step: 64n * MI },
  { upTo: 4n * GI, step: 256n * MI },
];
const BYTE_LAST_STEP = GI;

/** Grows a need by `headroomPercent` and rounds it up to a sensible step for its resource. */
export function sizeForQuota(
  need: Quantity,
  resourceName: string,
  headroomPercent: number = DEFAULT_HEADROOM_PERCENT,
): Quantity {
  if (!Number.isSafeInteger(headroomPercent) || headroomPercent < 0) {
    throw new RangeError(`sizeForQuota: headroom ${headroomPercent}% is not a whole non-negative percentage`);
  }
  if (need.nanos <= 0n) return { nanos: 0n, format: need.format };
  const grown = ceilDiv(need.nanos * BigInt(100 + headroomPercent), 100n);
  switch (resourceClass(resourceName)) {
    case 'cpu':
      return { nanos: roundUpToStep(grown, CPU_STEPS, CPU_LAST_STEP), format: 'DecimalSI' };
    case 'bytes':
      return { nanos: roundUpToStep(grown, BYTE_STEPS, BYTE_LAST_STEP), format: 'BinarySI' };
    case 'count':
      return { nanos: roundUpToStep(grown, [], NANOS_PER_UNIT), format: 'DecimalSI' };
  }
}

function roundUpToStep(nanos: bigint, steps: Step[], lastStep: bigint): bigint {
  const step = steps.find((s) => nanos <= s.upTo)?.step ?? lastStep;
  return ceilDiv(nanos, step) * step;
}
