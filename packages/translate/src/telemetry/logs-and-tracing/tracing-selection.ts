// The tracing settings for one direction of one proxy after Istio's Telemetry merge: entries are read from
// the root namespace to the workload, and each field a later entry sets replaces the earlier value.
import type { CustomTag, Telemetry } from '@heddle/api';
import { modeMatches, type TrafficDirection } from './workload-mode.ts';

export interface TracingSelection {
  readonly providers?: readonly string[];
  readonly randomSamplingPercentage?: number;
  readonly disableSpanReporting?: boolean;
  readonly customTags?: Readonly<Record<string, CustomTag>>;
  readonly useRequestIdForTraceSampling?: boolean;
  readonly enableIstioTags?: boolean;
  /** The most specific Telemetry that contributed, for warnings. */
  readonly source: Telemetry;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Undefined when no Telemetry configures tracing for this direction (meshConfig applies then). */
export function selectTracing(
  telemetries: readonly Telemetry[],
  direction: TrafficDirection,
): TracingSelection | undefined {
  let merged: Mutable<TracingSelection> | undefined;
  for (const telemetry of telemetries) {
    for (const entry of telemetry.spec.tracing ?? []) {
      if (!modeMatches(entry.match?.mode, direction)) continue;
      merged = { ...(merged ?? {}), source: telemetry };
      if (entry.providers && entry.providers.length > 0)
        merged.providers = entry.providers.map((p) => p.name);
      if (entry.randomSamplingPercentage !== undefined)
        merged.randomSamplingPercentage = entry.randomSamplingPercentage;
      if (entry.disableSpanReporting !== undefined) merged.disableSpanReporting = entry.disableSpanReporting;
      if (entry.customTags && Object.keys(entry.customTags).length > 0) merged.customTags = entry.customTags;
      if (entry.useRequestIdForTraceSampling !== undefined)
        merged.useRequestIdForTraceSampling = entry.useRequestIdForTraceSampling;
      if (entry.enableIstioTags !== undefined) merged.enableIstioTags = entry.enableIstioTags;
    }
  }
  return merged;
}
