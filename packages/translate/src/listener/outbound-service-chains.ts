// The filter chains of one TCP or TLS service on a sidecar's outbound port: its mesh VirtualService's
// routes, then a default chain to the service itself.
import { outboundClusterName } from '@heddle/xds';
import type { FilterChain } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { MeshService } from '../model/service.ts';
import { MESH_GATEWAY } from '../snapshot/mesh-index.ts';
import { withOutboundTcpStats } from '../telemetry/stats/tcp-stats.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { destinationAddresses, virtualServiceFor } from './service-lookup.ts';
import { invalidAddressWarner, l4Chain, tcpRouteChains } from './tcp-routes.ts';
import { tlsRouteChains } from './tls-routes.ts';

function meshVirtualService(ctx: TranslationContext, service: MeshService) {
  return virtualServiceFor(
    ctx,
    ctx.index.virtualServicesFor(MESH_GATEWAY, ctx.node.namespace),
    service.hostname,
  );
}

/** TCP is told apart by destination address; a service without one takes the whole port. */
export function tcpServiceChains(ctx: TranslationContext, port: number, service: MeshService): FilterChain[] {
  const addresses = destinationAddresses(service);
  const vs = meshVirtualService(ctx, service);
  const scope = { gateway: MESH_GATEWAY, listenPort: port, defaultAddresses: addresses };
  const routed = vs ? tcpRouteChains(ctx, scope, [vs]) : { chains: [], complete: false };
  if (routed.complete) return withOutboundTcpStats(ctx, routed.chains);
  const cluster = outboundClusterName(port, '', service.hostname);
  const fallback = l4Chain(
    { destinationAddresses: addresses },
    [{ name: cluster, weight: 100 }],
    invalidAddressWarner(ctx, service.origin),
  );
  return withOutboundTcpStats(ctx, [...routed.chains, fallback]);
}

/** TLS is routed by SNI; without a TLS route the service's own host name is the SNI it answers to. */
export function tlsServiceChains(ctx: TranslationContext, port: number, service: MeshService): FilterChain[] {
  const addresses = destinationAddresses(service);
  const vs = meshVirtualService(ctx, service);
  const scope = { gateway: MESH_GATEWAY, listenPort: port, defaultAddresses: addresses };
  const routed = vs ? tlsRouteChains(ctx, scope, [vs]) : [];
  if (routed.length > 0) return withOutboundTcpStats(ctx, routed);
  const cluster = outboundClusterName(port, '', service.hostname);
  return withOutboundTcpStats(ctx, [
    l4Chain(
      { serverNames: [service.hostname], destinationAddresses: addresses },
      [{ name: cluster, weight: 100 }],
      invalidAddressWarner(ctx, service.origin),
    ),
  ]);
}
