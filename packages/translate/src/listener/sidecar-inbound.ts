// virtualInbound (0.0.0.0:15006): where iptables sends connections to the workload, one chain per port.
import { create } from '@bufbuild/protobuf';
import { BLACKHOLE_CLUSTER, PASSTHROUGH_CLUSTER, VIRTUAL_INBOUND } from '@heddle/xds';
import { TrafficDirection } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { ListenerSchema, type Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import { inboundPorts } from '../cluster/inbound-ports.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { ANY_ADDRESS, socketAddress } from './address.ts';
import { durationFromText } from './duration.ts';
import { buildFilterChainMatch } from './filter-chain-match.ts';
import { finalizeChains } from './finalize-chains.ts';
import { inboundChains } from './inbound-chains.ts';
import { withListenerFilters } from './listener-filters.ts';
import { tcpCatchAllChain } from './outbound-policy.ts';

export const VIRTUAL_INBOUND_PORT = 15006;

/**
 * The original_dst listener filter restores the pre-redirect destination so chains can match its port.
 * Ports no service declares pass through to the original destination unchanged, as in Istio; a
 * connection addressed to 15006 itself would loop and is dropped.
 */
export function buildVirtualInboundListener(ctx: TranslationContext): Listener {
  const blackhole = tcpCatchAllChain(BLACKHOLE_CLUSTER, `${VIRTUAL_INBOUND}-blackhole`);
  blackhole.filterChainMatch = buildFilterChainMatch({ destinationPort: VIRTUAL_INBOUND_PORT });
  const portChains = inboundPorts(ctx)
    .filter((inbound) => inbound.port !== VIRTUAL_INBOUND_PORT)
    .flatMap((inbound) => inboundChains(ctx, inbound, true));
  const listener = create(ListenerSchema, {
    name: VIRTUAL_INBOUND,
    address: socketAddress(ANY_ADDRESS, VIRTUAL_INBOUND_PORT),
    trafficDirection: TrafficDirection.INBOUND,
    filterChains: finalizeChains(ctx, VIRTUAL_INBOUND, [blackhole, ...portChains]),
    defaultFilterChain: tcpCatchAllChain(PASSTHROUGH_CLUSTER, 'InboundPassthroughFilterChain'),
  });
  return withListenerFilters(listener, {
    originalDst: true,
    detectionTimeout: durationFromText(ctx.index.snapshot.meshConfig.protocolDetectionTimeout),
  });
}
