// RING_HASH (Ketama): each host owns points on a 64-bit ring in proportion to its weight, the ring size
// bounded by minimum/maximum_ring_size (Envoy's scaling); a request's hash picks the first point at or after it.
import type { Host } from '../host/host.ts';
import { distinctSlot } from './distinct-walk.ts';
import { hostHashKey } from './hash-key.ts';
import { type HostPicker, type PickerEnv, randomHash } from './host-picker.ts';
import { Hash64, xxhash64 } from './xxhash64.ts';

export function ringHashPicker(
  hosts: readonly Host[],
  weights: readonly number[],
  env: PickerEnv,
): HostPicker {
  const { minRingSize, maxRingSize, useHostnameForHashing } = env.config;
  const total = weights.reduce((a, b) => a + b, 0);
  const normalized = weights.map((w) => w / total);
  const minNormalized = Math.min(...normalized);
  // Enough points that the lightest host gets at least one, within the configured bounds.
  const scale = Math.min(Math.ceil(minNormalized * minRingSize) / minNormalized, maxRingSize);
  const points: { hi: number; lo: number; host: number }[] = [];
  const scratch = new Hash64();
  let target = 0;
  for (let i = 0; i < hosts.length; i++) {
    const key = hostHashKey(hosts[i] as Host, useHostnameForHashing);
    target += scale * (normalized[i] ?? 0);
    for (let k = 0; points.length < Math.round(target); k++) {
      xxhash64(`${key}_${k}`, scratch);
      points.push({ hi: scratch.hi, lo: scratch.lo, host: i });
    }
  }
  points.sort((a, b) => a.hi - b.hi || a.lo - b.lo || a.host - b.host);
  const ringHi = new Uint32Array(points.length);
  const ringLo = new Uint32Array(points.length);
  const owner = new Uint32Array(points.length);
  points.forEach((p, i) => {
    ringHi[i] = p.hi;
    ringLo[i] = p.lo;
    owner[i] = p.host;
  });
  const size = owner.length;
  const randomScratch = new Hash64();

  return {
    pick: (hash, attempt) => {
      if (size === 0) return undefined;
      const h = hash ?? randomHash(env.random, randomScratch);
      let lo = 0;
      let hi = size;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const point = ringHi[mid] as number;
        if (point < h.hi || (point === h.hi && (ringLo[mid] as number) < h.lo)) lo = mid + 1;
        else hi = mid;
      }
      return hosts[owner[distinctSlot(owner, lo === size ? 0 : lo, attempt)] as number];
    },
  };
}
