// ROUND_ROBIN: plain rotation (from a random start) when weights are equal, EDF-weighted otherwise.
import type { Host } from '../host/host.ts';
import { EdfScheduler } from './edf-scheduler.ts';
import { allEqual, type HostPicker, type PickerEnv } from './host-picker.ts';
import { slowStartFactor } from './slow-start.ts';

export function roundRobinPicker(
  hosts: readonly Host[],
  weights: readonly number[],
  env: PickerEnv,
): HostPicker {
  const slowStart = env.config.slowStart;
  if (allEqual(weights) && !slowStart) {
    let next = Math.floor(env.random() * hosts.length);
    return {
      pick: () => {
        const host = hosts[next];
        next = next + 1 === hosts.length ? 0 : next + 1;
        return host;
      },
    };
  }
  const indices = hosts.map((_, i) => i);
  const edf = new EdfScheduler(
    indices,
    (i) => (weights[i] ?? 1) * slowStartFactor(hosts[i] as Host, slowStart, env.now()),
  );
  return { pick: () => hosts[edf.pick() ?? 0] };
}
