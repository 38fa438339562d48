// Locality distribute: the share of traffic a client's locality sends to each destination locality.
import type { LocalityLoadBalancerSetting } from '@heddle/api';
import type { Locality } from '../model/service.ts';
import { compareText } from './compare-text.ts';
import { localityMatches } from './locality-match.ts';

/** More specific patterns claim localities first, so a wildcard gets what the exact entries left. */
function bySpecificity(a: string, b: string): number {
  const concrete = (p: string): number => p.split('/').filter((part) => part !== '' && part !== '*').length;
  return concrete(b) - concrete(a) || compareText(a, b);
}

/**
 * The first rule whose `from` matches the client reweights localities: a `to` pattern's weight is split
 * across the localities it matches by their own weight (rounded up, as Istio does). Localities no pattern
 * matches, or given weight 0, get no traffic: undefined. Without a matching rule weights stay.
 */
export function distributeWeights(
  client: Locality,
  localities: readonly { readonly locality: Locality; readonly weight: number }[],
  setting: LocalityLoadBalancerSetting,
): (number | undefined)[] {
  const rule = setting.distribute?.find((d) => localityMatches(client, d.from ?? ''));
  if (!rule) return localities.map((l) => l.weight);
  const result: (number | undefined)[] = localities.map(() => undefined);
  const unclaimed = new Set(localities.keys());
  for (const pattern of Object.keys(rule.to ?? {}).sort(bySpecificity)) {
    const share = rule.to?.[pattern] ?? 0;
    const claimed = [...unclaimed].filter((i) => localityMatches(localities[i]?.locality, pattern));
    const total = claimed.reduce((sum, i) => sum + (localities[i]?.weight ?? 0), 0);
    for (const i of claimed) {
      unclaimed.delete(i);
      const weight = total === 0 ? 0 : Math.ceil(((localities[i]?.weight ?? 0) * share) / total);
      result[i] = weight > 0 ? weight : undefined;
    }
  }
  return result;
}
