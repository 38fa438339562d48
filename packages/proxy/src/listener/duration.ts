// google.protobuf.Duration to milliseconds, the unit of Node's timers.
import type { Duration } from '@bufbuild/protobuf/wkt';

export function durationMs(duration: Duration): number {
  return Number(duration.seconds) * 1000 + Math.floor(duration.nanos / 1e6);
}
