// Protobuf Durations from milliseconds and from Istio duration strings, for listener and filter timeouts.
import { create } from '@bufbuild/protobuf';
import { DurationSchema, type Duration } from '@bufbuild/protobuf/wkt';
import { parseDurationMs } from '@heddle/api';

export function durationFromMs(ms: number): Duration {
  const whole = Math.max(0, Math.round(ms));
  return create(DurationSchema, {
    seconds: BigInt(Math.floor(whole / 1000)),
    nanos: (whole % 1000) * 1_000_000,
  });
}

/** Undefined for an unset or unparseable string, so the caller keeps its default. */
export function durationFromText(text: string | undefined): Duration | undefined {
  if (text === undefined) return undefined;
  const ms = parseDurationMs(text);
  return ms === undefined ? undefined : durationFromMs(ms);
}
