// VirtualService TCP routes as filter chains: destination-address matches ending in tcp_proxy.
import { create } from '@bufbuild/protobuf';
import type { L4MatchAttributes, VirtualService } from '@heddle/api';
import { parseClusterName } from '@heddle/xds';
import {
  FilterChainSchema,
  type FilterChain,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { clustersForDestinations } from './destination-clusters.ts';
import { buildFilterChainMatch, type ChainMatchSpec } from './filter-chain-match.ts';
import { l4MatchApplies, namespaceOf, resourceRef, type L4Scope } from './l4-match.ts';
import { buildTcpProxyFilter, type WeightedCluster } from './tcp-proxy.ts';
import { LISTENER_WARNINGS } from './warning-codes.ts';

export interface L4ChainScope extends L4Scope {
  /** Destination addresses a match without `destinationSubnets` covers (a service's VIPs); empty: any. */
  readonly defaultAddresses: readonly string[];
}

/** Istio's tcp_proxy stat prefix: the cluster, or for a weighted split the service it splits. */
export function tcpStatPrefix(clusters: readonly WeightedCluster[]): string {
  const first = clusters[0]?.name ?? '';
  if (clusters.length === 1) return first;
  const parsed = parseClusterName(first);
  return parsed ? `outbound|${parsed.port}||${parsed.host}` : first;
}

export function l4Chain(
  match: ChainMatchSpec,
  clusters: readonly WeightedCluster[],
  warnInvalid: (a: string) => void,
): FilterChain {
  const statPrefix = tcpStatPrefix(clusters);
  const filterChainMatch = buildFilterChainMatch(match, warnInvalid);
  return create(FilterChainSchema, {
    name: statPrefix,
    ...(filterChainMatch ? { filterChainMatch } : {}),
    filters: [buildTcpProxyFilter(statPrefix, clusters)],
  });
}

export function invalidAddressWarner(ctx: TranslationContext, resource: string): (address: string) => void {
  return (address) =>
    ctx.warn({
      code: LISTENER_WARNINGS.INVALID_ADDRESS,
      message: `${address} is not an IP address or CIDR; it is left out of the destination match`,
      resource,
    });
}

/**
 * Rules in order, first match wins: a rule that matches every connection on the default addresses
 * shadows the rest, so it ends the list (`complete`), and the caller adds no default chain.
 */
export function tcpRouteChains(
  ctx: TranslationContext,
  scope: L4ChainScope,
  virtualServices: readonly VirtualService[],
): { chains: FilterChain[]; complete: boolean } {
  const chains: FilterChain[] = [];
  for (const vs of virtualServices) {
    const resource = resourceRef(vs);
    for (const route of vs.spec.tcp ?? []) {
      const matches: readonly (L4MatchAttributes | undefined)[] = route.match?.length
        ? route.match
        : [undefined];
      const applicable = matches.filter((match) => l4MatchApplies(ctx, scope, vs, match));
      if (applicable.length === 0) continue;
      const clusters = clustersForDestinations(
        ctx,
        { namespace: namespaceOf(vs), listenPort: scope.listenPort, resource },
        route.route ?? [],
      );
      if (clusters.length === 0) continue;
      for (const match of applicable) {
        const subnets = match?.destinationSubnets ?? [];
        chains.push(
          l4Chain(
            { destinationAddresses: subnets.length > 0 ? subnets : scope.defaultAddresses },
            clusters,
            invalidAddressWarner(ctx, resource),
          ),
        );
        if (subnets.length === 0) return { chains, complete: true };
      }
    }
  }
  return { chains, complete: false };
}
