// VirtualService TLS routes as filter chains matched on SNI (and destination addresses), ending in tcp_proxy.
import type { TLSMatchAttributes, VirtualService } from '@heddle/api';
import type { FilterChain } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { hostMatches } from '../snapshot/host-names.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { clustersForDestinations } from './destination-clusters.ts';
import { l4MatchApplies, namespaceOf, resourceRef } from './l4-match.ts';
import { invalidAddressWarner, l4Chain, type L4ChainScope } from './tcp-routes.ts';

export interface TlsChainScope extends L4ChainScope {
  /** Gateways: the server's hosts; SNI values outside them are not served there. Unset: any SNI. */
  readonly allowedHosts?: readonly string[];
}

/** True when some name could match both patterns (either one covers the other). */
export function hostsIntersect(a: string, b: string): boolean {
  return hostMatches(a, b) || hostMatches(b, a);
}

export function tlsRouteChains(
  ctx: TranslationContext,
  scope: TlsChainScope,
  virtualServices: readonly VirtualService[],
): FilterChain[] {
  const chains: FilterChain[] = [];
  for (const vs of virtualServices) {
    const resource = resourceRef(vs);
    for (const route of vs.spec.tls ?? []) {
      const applicable = route.match.filter((match) => l4MatchApplies(ctx, scope, vs, match));
      if (applicable.length === 0) continue;
      const clusters = clustersForDestinations(
        ctx,
        { namespace: namespaceOf(vs), listenPort: scope.listenPort, resource },
        route.route ?? [],
      );
      if (clusters.length === 0) continue;
      for (const match of applicable) {
        const serverNames = allowedSni(match, scope.allowedHosts);
        if (serverNames.length === 0) continue;
        const subnets = match.destinationSubnets ?? [];
        chains.push(
          l4Chain(
            {
              // Envoy has no bare `*` server name: any SNI is "any TLS connection".
              ...(serverNames.includes('*') ? { transportProtocol: 'tls' } : { serverNames }),
              destinationAddresses: subnets.length > 0 ? subnets : scope.defaultAddresses,
            },
            clusters,
            invalidAddressWarner(ctx, resource),
          ),
        );
      }
    }
  }
  return chains;
}

function allowedSni(match: TLSMatchAttributes, allowedHosts: readonly string[] | undefined): string[] {
  const names = match.sniHosts.map((host) => host.toLowerCase());
  if (!allowedHosts) return names;
  return names.filter((name) => allowedHosts.some((host) => hostsIntersect(host, name)));
}
