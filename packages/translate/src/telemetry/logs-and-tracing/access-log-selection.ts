// Which access-log providers apply to one direction of one proxy, after Istio's Telemetry merge: entries
// are read from the root namespace to the workload; a later entry's `providers` replace the set, and its
// `filter` and `disabled` apply to the providers in force at that point.
import type { AccessLogging, MeshConfig, Telemetry } from '@heddle/api';
import { modeMatches, type TrafficDirection } from './workload-mode.ts';

export interface SelectedLogProvider {
  readonly name: string;
  /** CEL filter expression. */
  readonly filter?: string;
  /** The Telemetry that last configured this provider, for warnings. */
  readonly source: Telemetry;
}

interface ProviderState {
  filter?: string;
  disabled?: boolean;
  source: Telemetry;
}

/** Undefined when no Telemetry configures access logging for this direction (meshConfig applies then). */
export function selectLogProviders(
  telemetries: readonly Telemetry[],
  mesh: MeshConfig,
  direction: TrafficDirection,
): SelectedLogProvider[] | undefined {
  const entries: { entry: AccessLogging; source: Telemetry }[] = [];
  for (const telemetry of telemetries)
    for (const entry of telemetry.spec.accessLogging ?? [])
      if (modeMatches(entry.match?.mode, direction)) entries.push({ entry, source: telemetry });
  if (entries.length === 0) return undefined;
  let names: readonly string[] = mesh.defaultProviders?.accessLogging ?? [];
  const states = new Map<string, ProviderState>();
  for (const { entry, source } of entries) {
    if (entry.providers && entry.providers.length > 0) names = entry.providers.map((p) => p.name);
    for (const name of names) {
      const state = states.get(name) ?? { source };
      state.source = source;
      if (entry.filter?.expression !== undefined) state.filter = entry.filter.expression;
      if (entry.disabled !== undefined) state.disabled = entry.disabled;
      states.set(name, state);
    }
  }
  const selected: SelectedLogProvider[] = [];
  for (const name of new Set(names)) {
    const state = states.get(name);
    if (!state || state.disabled) continue;
    selected.push({
      name,
      source: state.source,
      ...(state.filter !== undefined && state.filter !== '' ? { filter: state.filter } : {}),
    });
  }
  return selected;
}
