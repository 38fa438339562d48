// Explicit capture (no iptables): an HTTP proxy listener the app uses as HTTP_PROXY, and one listener per
// inbound port on the workload's address, in front of the app listening on loopback.
import { create } from '@bufbuild/protobuf';
import { listenerName } from '@heddle/xds';
import { TrafficDirection } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { ListenerSchema, type Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import { inboundPorts } from '../cluster/inbound-ports.ts';
import { HTTP_PROXY_ROUTE_CONFIG } from '../route/outbound-route-configs.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { ANY_ADDRESS, LOOPBACK_ADDRESS, socketAddress } from './address.ts';
import { durationFromText } from './duration.ts';
import { finalizeChains } from './finalize-chains.ts';
import { sidecarOutboundHcm } from './hcm-presets.ts';
import { inboundChains } from './inbound-chains.ts';
import { withListenerFilters } from './listener-filters.ts';

/** When the node does not say, the outbound port of transparent capture. */
export const DEFAULT_EXPLICIT_OUTBOUND_PORT = 15001;

export function buildExplicitCaptureListeners(ctx: TranslationContext): Listener[] {
  return [explicitOutboundListener(ctx), ...explicitInboundListeners(ctx)];
}

/**
 * Only loopback: the app's own calls. CONNECT is allowed through so the route configuration can tunnel
 * HTTPS (an HTTP proxy client sends CONNECT for https:// URLs).
 */
function explicitOutboundListener(ctx: TranslationContext): Listener {
  const port = ctx.node.outboundPort ?? DEFAULT_EXPLICIT_OUTBOUND_PORT;
  const name = listenerName(LOOPBACK_ADDRESS, port);
  return create(ListenerSchema, {
    name,
    address: socketAddress(LOOPBACK_ADDRESS, port),
    trafficDirection: TrafficDirection.OUTBOUND,
    filterChains: [
      {
        name: HTTP_PROXY_ROUTE_CONFIG,
        filters: [
          sidecarOutboundHcm(ctx, {
            port,
            statPrefix: `outbound_${name}`,
            routes: { rds: HTTP_PROXY_ROUTE_CONFIG },
            upgrades: ['websocket', 'CONNECT'],
          }),
        ],
      },
    ],
  });
}

function explicitInboundListeners(ctx: TranslationContext): Listener[] {
  const address = ctx.node.ipAddresses[0] ?? ANY_ADDRESS;
  const detectionTimeout = durationFromText(ctx.index.snapshot.meshConfig.protocolDetectionTimeout);
  return inboundPorts(ctx).map((inbound) => {
    const name = listenerName(address, inbound.port);
    const listener = create(ListenerSchema, {
      name,
      address: socketAddress(address, inbound.port),
      trafficDirection: TrafficDirection.INBOUND,
      filterChains: finalizeChains(ctx, name, inboundChains(ctx, inbound, false)),
    });
    return withListenerFilters(listener, { detectionTimeout });
  });
}
