// The picker of one priority level: over its available hosts (all of them in panic), by locality weight ×
// availability first when locality-weighted balancing is on (folded into host weights for consistent hashing).
import type { LbConfig } from '../config/compiled-cluster.ts';
import type { Host } from '../host/host.ts';
import type { HostPicker, PickerEnv } from './host-picker.ts';
import { localityPicker } from './locality-picker.ts';
import { isHashPolicy, pickerFactory } from './picker-factory.ts';

export function levelPicker(
  level: readonly Host[],
  panic: boolean,
  config: LbConfig,
  overprovisioning: number,
  env: PickerEnv,
): HostPicker | undefined {
  const candidates = panic ? level : level.filter((h) => h.available);
  if (candidates.length === 0) return undefined;
  const factory = pickerFactory(config.policy);
  const flat = (): HostPicker =>
    factory(
      candidates,
      candidates.map((h) => h.weight),
      env,
    );
  if (panic || !config.localityWeighted) return flat();
  const localities = groupByLocality(level, candidates, overprovisioning);
  if (localities.length === 0) return flat();
  if (isHashPolicy(config.policy)) {
    const hosts: Host[] = [];
    const weights: number[] = [];
    for (const locality of localities) {
      const sum = locality.hosts.reduce((s, h) => s + h.weight, 0);
      for (const h of locality.hosts) {
        hosts.push(h);
        weights.push((h.weight / sum) * locality.weight);
      }
    }
    return factory(hosts, weights, env);
  }
  return localityPicker(
    localities.map((l) => ({
      weight: l.weight,
      picker: factory(
        l.hosts,
        l.hosts.map((h) => h.weight),
        env,
      ),
    })),
  );
}

interface LocalityGroup {
  readonly hosts: Host[];
  readonly weight: number;
}

/** Effective weight: locality weight × min(1, overprovisioning × available / total); zero-weight ones drop. */
function groupByLocality(
  level: readonly Host[],
  candidates: readonly Host[],
  overprovisioning: number,
): LocalityGroup[] {
  const totals = new Map<string, number>();
  for (const h of level) totals.set(h.locality, (totals.get(h.locality) ?? 0) + 1);
  const groups = new Map<string, Host[]>();
  for (const h of candidates) {
    const group = groups.get(h.locality);
    if (group) group.push(h);
    else groups.set(h.locality, [h]);
  }
  const out: LocalityGroup[] = [];
  for (const [locality, hosts] of groups) {
    const total = totals.get(locality) ?? hosts.length;
    const availability = Math.min(1, (overprovisioning / 100) * (hosts.length / total));
    const weight = (hosts[0]?.localityWeight ?? 0) * availability;
    if (weight > 0) out.push({ hosts, weight });
  }
  return out;
}
