// RANDOM: a uniformly random host (Envoy's random policy ignores host weights).
import type { Host } from '../host/host.ts';
import type { HostPicker, PickerEnv } from './host-picker.ts';

export function randomPicker(
  hosts: readonly Host[],
  _weights: readonly number[],
  env: PickerEnv,
): HostPicker {
  const random = env.random;
  return { pick: () => hosts[Math.floor(random() * hosts.length)] };
}
