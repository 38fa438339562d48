// Istio duration strings (`5s`, `100ms`, `1h30m`) as protobuf Durations for Envoy fields.
import { durationFromMs, type Duration } from '@bufbuild/protobuf/wkt';
import { parseDurationMs } from '@heddle/api';

/** Undefined for an unset or unparseable value: validation reports those, translation leaves the field out. */
export function protoDuration(text: string | undefined): Duration | undefined {
  if (text === undefined) return undefined;
  const ms = parseDurationMs(text);
  return ms === undefined ? undefined : durationFromMs(Math.round(ms));
}

/** Whole seconds, as Envoy's TCP keepalive fields take them (Istio drops the fraction too). */
export function durationSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDurationMs(text);
  return ms === undefined ? undefined : Math.floor(ms / 1000);
}
