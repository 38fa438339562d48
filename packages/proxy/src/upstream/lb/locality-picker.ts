// Locality-weighted balancing within a priority: a locality is chosen by EDF on its effective weight
// (locality weight × availability), then a host within it by the cluster's policy.
import type { Host } from '../host/host.ts';
import { EdfScheduler } from './edf-scheduler.ts';
import type { HostPicker } from './host-picker.ts';

export interface WeightedLocality {
  readonly weight: number;
  readonly picker: HostPicker;
}

export function localityPicker(localities: readonly WeightedLocality[]): HostPicker {
  const edf = new EdfScheduler(localities, (l) => l.weight);
  return {
    pick: (hash, attempt): Host | undefined => edf.pick()?.picker.pick(hash, attempt),
  };
}
