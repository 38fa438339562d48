// Protobuf Durations as milliseconds, with Envoy's defaults where a field is unset.
import type { Duration } from '@bufbuild/protobuf/wkt';

export function durationMs(duration: Duration | undefined, fallback: number): number {
  if (!duration) return fallback;
  return Number(duration.seconds) * 1000 + Math.floor(duration.nanos / 1_000_000);
}

/** Undefined when unset; 0 stays 0 (callers decide whether 0 means "disabled"). */
export function optionalDurationMs(duration: Duration | undefined): number | undefined {
  return duration ? durationMs(duration, 0) : undefined;
}
