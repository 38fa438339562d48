// The per-policy host choice within one priority (or one locality): built once per membership or health
// change from the hosts and their effective weights, then asked once per pick.
import type { LbConfig } from '../config/compiled-cluster.ts';
import type { Host } from '../host/host.ts';
import type { Hash64 } from './xxhash64.ts';

export interface HostPicker {
  /** `hash` for consistent hashing (undefined: random); `attempt` > 0 asks for an alternative host. */
  pick(hash: Hash64 | undefined, attempt: number): Host | undefined;
}

export interface PickerEnv {
  readonly config: LbConfig;
  readonly random: () => number;
  readonly now: () => number;
}

export type PickerFactory = (
  hosts: readonly Host[],
  weights: readonly number[],
  env: PickerEnv,
) => HostPicker;

export function allEqual(weights: readonly number[]): boolean {
  const first = weights[0];
  for (const w of weights) if (w !== first) return false;
  return true;
}

/** A random 64-bit hash when the request carries none (Envoy does the same for hash-based policies). */
export function randomHash(random: () => number, out: Hash64): Hash64 {
  out.hi = Math.floor(random() * 0x100000000);
  out.lo = Math.floor(random() * 0x100000000);
  return out;
}
