// virtualOutbound (0.0.0.0:15001): where iptables sends outbound connections; hands them to per-port listeners.
import { create } from '@bufbuild/protobuf';
import { BLACKHOLE_CLUSTER, VIRTUAL_OUTBOUND } from '@heddle/xds';
import { TrafficDirection } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { ListenerSchema, type Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { ANY_ADDRESS, socketAddress } from './address.ts';
import { buildFilterChainMatch } from './filter-chain-match.ts';
import { tcpCatchAllChain, unknownDestinationCluster } from './outbound-policy.ts';

export const VIRTUAL_OUTBOUND_PORT = 15001;

/**
 * With use_original_dst the connection moves to the listener bound (bind_to_port false) to its original
 * destination port; what no listener claims takes the default chain. A connection whose original
 * destination is 15001 itself would loop, so it is dropped.
 */
export function buildVirtualOutboundListener(ctx: TranslationContext): Listener {
  const blackhole = tcpCatchAllChain(BLACKHOLE_CLUSTER, `${VIRTUAL_OUTBOUND}-blackhole`);
  blackhole.filterChainMatch = buildFilterChainMatch({ destinationPort: VIRTUAL_OUTBOUND_PORT });
  const cluster = unknownDestinationCluster(ctx);
  return create(ListenerSchema, {
    name: VIRTUAL_OUTBOUND,
    address: socketAddress(ANY_ADDRESS, VIRTUAL_OUTBOUND_PORT),
    useOriginalDst: true,
    trafficDirection: TrafficDirection.OUTBOUND,
    filterChains: [blackhole],
    defaultFilterChain: tcpCatchAllChain(cluster, `${VIRTUAL_OUTBOUND}-catchall-tcp`),
  });
}
