// MAGLEV: a lookup table of prime size (65537 by default) filled from each host's permutation (offset and
// skip from two hashes of its key), hosts taking turns in proportion to weight; a pick is one table read.
import type { Host } from '../host/host.ts';
import { distinctSlot } from './distinct-walk.ts';
import { hostHashKey } from './hash-key.ts';
import { type HostPicker, type PickerEnv, randomHash } from './host-picker.ts';
import { Hash64, xxhash64 } from './xxhash64.ts';

export function maglevPicker(hosts: readonly Host[], weights: readonly number[], env: PickerEnv): HostPicker {
  const size = env.config.maglevTableSize;
  const scratch = new Hash64();
  const n = hosts.length;
  const offset = new Float64Array(n);
  const skip = new Float64Array(n);
  const next = new Float64Array(n);
  const credit = new Float64Array(n);
  const maxWeight = Math.max(...weights);
  for (let i = 0; i < n; i++) {
    const key = hostHashKey(hosts[i] as Host, env.config.useHostnameForHashing);
    offset[i] = xxhash64(key, scratch, 0).mod(size);
    skip[i] = xxhash64(key, scratch, 1).mod(size - 1) + 1;
  }
  const table = new Int32Array(size).fill(-1);
  let filled = 0;
  while (filled < size) {
    for (let i = 0; i < n && filled < size; i++) {
      credit[i] = (credit[i] as number) + (weights[i] as number) / maxWeight;
      if ((credit[i] as number) < 1) continue;
      credit[i] = (credit[i] as number) - 1;
      let slot = ((offset[i] as number) + (skip[i] as number) * (next[i] as number)) % size;
      while ((table[slot] as number) >= 0) {
        next[i] = (next[i] as number) + 1;
        slot = ((offset[i] as number) + (skip[i] as number) * (next[i] as number)) % size;
      }
      table[slot] = i;
      next[i] = (next[i] as number) + 1;
      filled++;
    }
  }
  const randomScratch = new Hash64();
  return {
    pick: (hash, attempt) => {
      const h = hash ?? randomHash(env.random, randomScratch);
      return hosts[table[distinctSlot(table, h.mod(size), attempt)] as number];
    },
  };
}
