// Which cluster a forwarded request goes to: a fixed cluster, one named by a request header, or one of the
// weighted clusters picked at random by weight.
import { firstValue, type HeaderMap } from '../../../http/headers.ts';
import type { ForwardAction, WeightedClusterEntry } from '../../../http/routing/compiled-route.ts';

export function chooseWeighted(
  action: ForwardAction,
  random: () => number,
): WeightedClusterEntry | undefined {
  if (action.cluster.kind !== 'weighted') return undefined;
  const point = random() * action.cluster.total;
  const entries = action.cluster.entries;
  return entries.find((e) => point < e.upTo) ?? entries[entries.length - 1];
}

/** The target cluster's name; empty when the request names none (→ `cluster_not_found`). */
export function targetClusterName(
  action: ForwardAction,
  headers: HeaderMap,
  weighted: WeightedClusterEntry | undefined,
): string {
  const cluster = action.cluster;
  if (cluster.kind === 'cluster') return cluster.name;
  if (cluster.kind === 'header') return firstValue(headers, cluster.header) ?? '';
  return weighted?.name ?? '';
}
