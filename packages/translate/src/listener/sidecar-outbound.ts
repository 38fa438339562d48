// Transparent sidecar: one `0.0.0.0_<port>` listener per outbound service port, reached from virtualOutbound.
import { create } from '@bufbuild/protobuf';
import { listenerName, routeConfigName } from '@heddle/xds';
import { TrafficDirection } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import {
  FilterChainSchema,
  type FilterChain,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { ListenerSchema, type Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { MeshService } from '../model/service.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { ANY_ADDRESS, socketAddress } from './address.ts';
import { durationFromText } from './duration.ts';
import { outboundServices } from './egress-scope.ts';
import { finalizeChains } from './finalize-chains.ts';
import { sidecarOutboundHcm } from './hcm-presets.ts';
import { withListenerFilters } from './listener-filters.ts';
import { tcpCatchAllChain, unknownDestinationCluster } from './outbound-policy.ts';
import { tcpServiceChains, tlsServiceChains } from './outbound-service-chains.ts';
import { protocolClass } from './protocol-class.ts';

interface PortUse {
  readonly service: MeshService;
  readonly protocol: string;
}

export function buildSidecarOutboundListeners(ctx: TranslationContext): Listener[] {
  const byPort = new Map<number, PortUse[]>();
  for (const { service, ports } of outboundServices(ctx)) {
    for (const port of ports) {
      const uses = byPort.get(port.number) ?? [];
      uses.push({ service, protocol: port.protocol });
      byPort.set(port.number, uses);
    }
  }
  return [...byPort.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([port, uses]) => outboundPortListener(ctx, port, uses) ?? []);
}

/**
 * HTTP services share one connection manager (their route config tells hosts apart), which takes every
 * connection not claimed by a TCP/TLS service's address or SNI chain. Without HTTP, connections to
 * unknown addresses go where outboundTrafficPolicy says.
 */
function outboundPortListener(
  ctx: TranslationContext,
  port: number,
  uses: readonly PortUse[],
): Listener | undefined {
  const name = listenerName(ANY_ADDRESS, port);
  const hasHttp = uses.some((use) => protocolClass(use.protocol) === 'http');
  const chains: FilterChain[] = [];
  if (hasHttp) {
    chains.push(
      create(FilterChainSchema, {
        name: `outbound_http_${port}`,
        filters: [
          sidecarOutboundHcm(ctx, {
            port,
            statPrefix: `outbound_${name}`,
            routes: { rds: routeConfigName(port) },
          }),
        ],
      }),
    );
  }
  for (const use of uses) {
    const kind = protocolClass(use.protocol);
    if (kind === 'tcp') chains.push(...tcpServiceChains(ctx, port, use.service));
    if (kind === 'tls') chains.push(...tlsServiceChains(ctx, port, use.service));
  }
  const filterChains = finalizeChains(ctx, name, chains);
  if (filterChains.length === 0) return undefined;
  const catchAll = filterChains.some((chain) => chain.filterChainMatch === undefined);
  const listener = create(ListenerSchema, {
    name,
    address: socketAddress(ANY_ADDRESS, port),
    bindToPort: false,
    trafficDirection: TrafficDirection.OUTBOUND,
    filterChains,
    ...(catchAll ? {} : { defaultFilterChain: tcpCatchAllChain(unknownDestinationCluster(ctx)) }),
  });
  return withListenerFilters(listener, {
    detectionTimeout: durationFromText(ctx.index.snapshot.meshConfig.protocolDetectionTimeout),
  });
}
