// The host picker for a cluster's LB policy.
import type { LbPolicyName } from '../config/compiled-cluster.ts';
import type { PickerFactory } from './host-picker.ts';
import { leastRequestPicker } from './least-request.ts';
import { maglevPicker } from './maglev.ts';
import { randomPicker } from './random.ts';
import { ringHashPicker } from './ring-hash.ts';
import { roundRobinPicker } from './round-robin.ts';

export function pickerFactory(policy: LbPolicyName): PickerFactory {
  switch (policy) {
    case 'ROUND_ROBIN':
    case 'CLUSTER_PROVIDED':
      return roundRobinPicker;
    case 'LEAST_REQUEST':
      return leastRequestPicker;
    case 'RANDOM':
      return randomPicker;
    case 'RING_HASH':
      return ringHashPicker;
    case 'MAGLEV':
      return maglevPicker;
  }
}

export function isHashPolicy(policy: LbPolicyName): boolean {
  return policy === 'RING_HASH' || policy === 'MAGLEV';
}
