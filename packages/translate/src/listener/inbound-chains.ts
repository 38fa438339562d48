// Filter chains that deliver one inbound port to the local workload: HTTP through a connection manager, the
// rest through tcp_proxy, both to the `inbound|<port>||` cluster.
import { create } from '@bufbuild/protobuf';
import { inboundClusterName } from '@heddle/xds';
import {
  FilterChainSchema,
  type FilterChain,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { InboundPort } from '../cluster/inbound-ports.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { buildFilterChainMatch } from './filter-chain-match.ts';
import { sidecarInboundHcm } from './hcm-presets.ts';
import { inboundChainVariants } from './inbound-chain-variants.ts';
import { protocolClass } from './protocol-class.ts';
import { buildTcpProxyFilter } from './tcp-proxy.ts';

/**
 * `matchPort`: on virtualInbound every port shares one listener, so chains match the original destination
 * port; a listener of its own (explicit capture) needs no port match.
 */
export function inboundChains(
  ctx: TranslationContext,
  inbound: InboundPort,
  matchPort: boolean,
): FilterChain[] {
  const cluster = inboundClusterName(inbound.port);
  const terminal =
    protocolClass(inbound.protocol) === 'http'
      ? sidecarInboundHcm(ctx, inbound.port)
      : buildTcpProxyFilter(cluster, cluster);
  return inboundChainVariants(ctx, inbound).map((variant) => {
    const filterChainMatch = buildFilterChainMatch({
      ...(matchPort ? { destinationPort: inbound.port } : {}),
      ...variant.match,
    });
    return create(FilterChainSchema, {
      name: `${cluster}${variant.nameSuffix}`,
      ...(filterChainMatch ? { filterChainMatch } : {}),
      filters: [...(variant.networkFilters ?? []), terminal],
      ...(variant.transportSocket ? { transportSocket: variant.transportSocket } : {}),
    });
  });
}
