// Envoy FractionalPercent / RuntimeFractionalPercent as a probability, decided per request with injected randomness.
import type { RuntimeFractionalPercent } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import {
  FractionalPercent_DenominatorType,
  type FractionalPercent,
} from '@heddle/xds/gen/envoy/type/v3/percent_pb.ts';

const DENOMINATORS: Readonly<Record<number, number>> = {
  [FractionalPercent_DenominatorType.HUNDRED]: 100,
  [FractionalPercent_DenominatorType.TEN_THOUSAND]: 10_000,
  [FractionalPercent_DenominatorType.MILLION]: 1_000_000,
};

/** The share in [0, 1]; `fallback` when the percentage is unset. */
export function fractionOf(percent: FractionalPercent | undefined, fallback: number): number {
  if (!percent) return fallback;
  const denominator = DENOMINATORS[percent.denominator] ?? 100;
  return Math.min(1, percent.numerator / denominator);
}

/** Runtime overrides are not supported: the default value is the value. */
export function runtimeFractionOf(percent: RuntimeFractionalPercent | undefined, fallback: number): number {
  return fractionOf(percent?.defaultValue, fallback);
}

/** True with probability `share`; 0 and 1 never consult the random source. */
export function sampled(share: number, random: () => number): boolean {
  if (share >= 1) return true;
  if (share <= 0) return false;
  return random() < share;
}
