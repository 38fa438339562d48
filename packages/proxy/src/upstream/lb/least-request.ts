// LEAST_REQUEST: with equal weights, the fewest active requests among `choice_count` random hosts (power of
// two choices) or among all (full scan); with unequal weights, EDF on weight / (active + 1)^bias.
import type { Host } from '../host/host.ts';
import { EdfScheduler } from './edf-scheduler.ts';
import { allEqual, type HostPicker, type PickerEnv } from './host-picker.ts';
import { slowStartFactor } from './slow-start.ts';

export function leastRequestPicker(
  hosts: readonly Host[],
  weights: readonly number[],
  env: PickerEnv,
): HostPicker {
  const { choiceCount, activeRequestBias, fullScan, slowStart } = env.config;
  const random = env.random;
  const n = hosts.length;
  if (allEqual(weights) && !slowStart) {
    if (fullScan) {
      return {
        pick: () => {
          const start = Math.floor(random() * n);
          let best: Host | undefined;
          for (let k = 0; k < n; k++) {
            const host = hosts[(start + k) % n] as Host;
            if (!best || host.rqActive < best.rqActive) best = host;
          }
          return best;
        },
      };
    }
    return {
      pick: () => {
        let best = hosts[Math.floor(random() * n)] as Host;
        for (let k = 1; k < choiceCount; k++) {
          const candidate = hosts[Math.floor(random() * n)] as Host;
          if (candidate.rqActive < best.rqActive) best = candidate;
        }
        return best;
      },
    };
  }
  const indices = hosts.map((_, i) => i);
  const edf = new EdfScheduler(indices, (i) => {
    const host = hosts[i] as Host;
    const base = (weights[i] ?? 1) * slowStartFactor(host, slowStart, env.now());
    if (activeRequestBias === 0) return base;
    const active = host.rqActive + 1;
    return activeRequestBias === 1 ? base / active : base / Math.pow(active, activeRequestBias);
  });
  return { pick: () => hosts[edf.pick() ?? 0] };
}
