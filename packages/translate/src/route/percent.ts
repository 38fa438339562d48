// Istio percentages (0–100, fractions allowed) as Envoy FractionalPercent in parts per million.
import { create } from '@bufbuild/protobuf';
import type { RuntimeFractionalPercent } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { RuntimeFractionalPercentSchema } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import {
  FractionalPercent_DenominatorType,
  FractionalPercentSchema,
  type FractionalPercent,
} from '@heddle/xds/gen/envoy/type/v3/percent_pb.ts';

/** Per million keeps Istio's 0.0001% resolution; rounding avoids float truncation (0.29 × 10⁴ = 2899.99…). */
export function fractionalPercent(value: number): FractionalPercent {
  const clamped = Math.min(100, Math.max(0, value));
  return create(FractionalPercentSchema, {
    numerator: Math.round(clamped * 10_000),
    denominator: FractionalPercent_DenominatorType.MILLION,
  });
}

export function runtimeFraction(value: number): RuntimeFractionalPercent {
  return create(RuntimeFractionalPercentSchema, { defaultValue: fractionalPercent(value) });
}
