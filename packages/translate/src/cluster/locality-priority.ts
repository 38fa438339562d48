// Locality failover as priorities: how far an endpoint is from the client by locality (failover) or by
// ordered labels (failoverPriority), compacted into the gap-free priorities Envoy wants.
import type { LocalityFailover } from '@heddle/api';
import type { Locality } from '../model/service.ts';
import { localityLabelValue } from './locality-match.ts';

/** Ranks Istio gives an endpoint locality relative to the client's (lower is preferred). */
const SAME_SUBZONE = 0;
const SAME_ZONE = 1;
const SAME_REGION = 2;
const FAILOVER_REGION = 3;
const ELSEWHERE = 4;
/** How many locality ranks exist, so label and locality ranks combine into one number. */
export const LOCALITY_RANKS = ELSEWHERE + 1;

/** 0 same subzone, 1 same zone, 2 same region, 3 a failover region of the client's region, 4 anywhere else. */
export function failoverRank(
  client: Locality,
  endpoint: Locality | undefined,
  failover: readonly LocalityFailover[],
): number {
  const region = endpoint?.region ?? '';
  if (region === (client.region ?? '')) {
    if ((endpoint?.zone ?? '') !== (client.zone ?? '')) return SAME_REGION;
    return (endpoint?.subzone ?? '') === (client.subzone ?? '') ? SAME_SUBZONE : SAME_ZONE;
  }
  const failsOverHere = failover.some((f) => f.from === client.region && f.to === region);
  return failsOverHere ? FAILOVER_REGION : ELSEWHERE;
}

/**
 * failoverPriority: the number of leading labels (in order) on which the endpoint does NOT agree with the
 * client, so endpoints sharing more leading labels come first. `key=value` compares with the given value;
 * the topology labels compare localities.
 */
export function failoverPriorityRank(
  keys: readonly string[],
  client: { readonly labels: Readonly<Record<string, string>>; readonly locality: Locality },
  endpoint: { readonly labels: Readonly<Record<string, string>>; readonly locality?: Locality },
): number {
  let matched = 0;
  for (const entry of keys) {
    const [key = '', override] = entry.split('=', 2);
    const wanted = override ?? client.labels[key] ?? localityLabelValue(key, client.locality);
    const actual = endpoint.labels[key] ?? localityLabelValue(key, endpoint.locality);
    if (wanted === undefined || actual !== wanted) break;
    matched++;
  }
  return keys.length - matched;
}

/** Envoy wants priorities 0..N without gaps: ranks keep their order and lose the gaps. */
export function compactPriorities(ranks: readonly number[]): number[] {
  const distinct = [...new Set(ranks)].sort((a, b) => a - b);
  return ranks.map((rank) => distinct.indexOf(rank));
}
