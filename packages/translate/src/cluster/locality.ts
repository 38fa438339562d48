// Locality-aware load balancing as Istio applies it to one destination: whether it is on, and the
// (locality, priority, weight) groups EDS emits for the client's locality. Pure.
import type { LoadBalancerSettings, LocalityLoadBalancerSetting } from '@heddle/api';
import type { Locality } from '../model/service.ts';
import { compareText } from './compare-text.ts';
import { localityKey } from './locality-match.ts';
import {
  compactPriorities,
  failoverPriorityRank,
  failoverRank,
  LOCALITY_RANKS,
} from './locality-priority.ts';
import { distributeWeights } from './locality-weights.ts';

/**
 * The locality setting in force: the DestinationRule's, else Istio's mesh default (enabled, no rules, so
 * default failover by locality once outlier detection is on). Undefined when switched off.
 */
export function localitySettingFor(
  lb: LoadBalancerSettings | undefined,
): LocalityLoadBalancerSetting | undefined {
  const setting = lb?.localityLbSetting ?? {};
  return setting.enabled === false ? undefined : setting;
}

const distributes = (setting: LocalityLoadBalancerSetting): boolean => (setting.distribute?.length ?? 0) > 0;

/**
 * Istio turns on Envoy's locality-weighted balancing only where locality weights mean something: explicit
 * distribution, or explicit failover with outlier detection (otherwise it would change LEAST_REQUEST's picks).
 */
export function usesLocalityWeightedLb(
  setting: LocalityLoadBalancerSetting | undefined,
  outlierDetection: boolean,
): boolean {
  if (!setting) return false;
  if (distributes(setting)) return true;
  const explicitFailover = (setting.failover?.length ?? 0) > 0 || (setting.failoverPriority?.length ?? 0) > 0;
  return outlierDetection && explicitFailover;
}

export interface LocalityEndpointInput {
  readonly locality?: Locality;
  readonly labels: Readonly<Record<string, string>>;
  readonly weight: number;
}

export interface LocalityGroup<E> {
  readonly locality: Locality;
  readonly priority: number;
  /** Sum of the endpoints' weights, or the distributed weight. */
  readonly weight: number;
  readonly endpoints: readonly E[];
}

export interface LocalityLbInput {
  readonly client: Locality;
  readonly clientLabels: Readonly<Record<string, string>>;
  /** From localitySettingFor; undefined: one priority, weights from the endpoints. */
  readonly setting: LocalityLoadBalancerSetting | undefined;
  /** Failover needs outlier detection, or Envoy would never leave priority 0 (Istio's rule). */
  readonly outlierDetection: boolean;
}

/** Distribution and failover exclude each other (distribution wins, as in Istio). */
function rankOf(endpoint: LocalityEndpointInput, input: LocalityLbInput): number {
  const setting = input.setting;
  if (!setting || !input.outlierDetection || distributes(setting)) return 0;
  const keys = setting.failoverPriority ?? [];
  const failover = setting.failover ?? [];
  const byLabels =
    keys.length > 0
      ? failoverPriorityRank(keys, { labels: input.clientLabels, locality: input.client }, endpoint)
      : 0;
  // With failoverPriority alone Istio orders by labels only; with failover too, locality breaks ties.
  const byLocality =
    keys.length > 0 && failover.length === 0 ? 0 : failoverRank(input.client, endpoint.locality, failover);
  return byLabels * LOCALITY_RANKS + byLocality;
}

/** Endpoints grouped by (locality, priority), with locality weights; sorted by priority, then locality. */
export function groupByLocality<E extends LocalityEndpointInput>(
  endpoints: readonly E[],
  input: LocalityLbInput,
): LocalityGroup<E>[] {
  const groups = new Map<string, { locality: Locality; rank: number; weight: number; endpoints: E[] }>();
  for (const endpoint of endpoints) {
    const rank = rankOf(endpoint, input);
    const key = `${rank}|${localityKey(endpoint.locality)}`;
    const group = groups.get(key) ?? { locality: endpoint.locality ?? {}, rank, weight: 0, endpoints: [] };
    group.weight += endpoint.weight;
    group.endpoints.push(endpoint);
    groups.set(key, group);
  }
  let list = [...groups.values()];
  if (input.setting && distributes(input.setting)) {
    const weights = distributeWeights(input.client, list, input.setting);
    list = list.flatMap((group, i) => {
      const weight = weights[i];
      return weight === undefined ? [] : [{ ...group, weight }];
    });
  }
  const priorities = compactPriorities(list.map((group) => group.rank));
  return list
    .map((group, i) => ({
      locality: group.locality,
      priority: priorities[i] ?? 0,
      weight: group.weight,
      endpoints: group.endpoints,
    }))
    .sort((a, b) => a.priority - b.priority || compareText(localityKey(a.locality), localityKey(b.locality)));
}
