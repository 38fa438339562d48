// Seam for the security part: the transport variants (plaintext, mTLS, …) each inbound port is served with.
import type { TransportSocket } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import type { Filter } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { InboundPort } from '../cluster/inbound-ports.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { inboundNetworkFilters } from '../security/network-security.ts';
import { inboundMtlsMode } from '../security/peer-authentication/inbound-mtls-mode.ts';
import { mtlsVariants } from '../security/peer-authentication/mtls-variants.ts';
import { tcpStatsFilters } from '../telemetry/stats/tcp-stats.ts';
import type { ChainMatchSpec } from './filter-chain-match.ts';
import { protocolClass } from './protocol-class.ts';

export interface InboundChainVariant {
  /** Appended to the chain name (`inbound|<port>||<suffix>`); '' for a port's only variant. */
  readonly nameSuffix: string;
  /** What tells this variant's connections apart, e.g. transportProtocol `tls` + ALPN `istio-peer-exchange`. */
  readonly match: Pick<ChainMatchSpec, 'transportProtocol' | 'applicationProtocols' | 'serverNames'>;
  /** The DownstreamTlsContext that terminates mTLS; unset for plaintext. */
  readonly transportSocket?: TransportSocket;
  /** Network filters ahead of the connection manager or tcp_proxy (e.g. network RBAC for TCP ports). */
  readonly networkFilters?: readonly Filter[];
}

export const PLAINTEXT_VARIANT: InboundChainVariant = { nameSuffix: '', match: {} };

/**
 * PeerAuthentication decides the variants: STRICT one mTLS chain, PERMISSIVE an mTLS chain matched on `tls`
 * plus a plaintext one on `raw_buffer`, DISABLE plaintext. Every variant carries the same network filters.
 */
export function inboundChainVariants(ctx: TranslationContext, port: InboundPort): InboundChainVariant[] {
  // Authorization first (a denied connection is never counted as served), then stats.
  const tcpStats = protocolClass(port.protocol) === 'http' ? [] : tcpStatsFilters(ctx, 'inbound');
  const networkFilters = [...inboundNetworkFilters(ctx, port), ...tcpStats];
  const http = protocolClass(port.protocol) === 'http';
  return mtlsVariants(inboundMtlsMode(ctx, port), http).map((variant) =>
    networkFilters.length > 0 ? { ...variant, networkFilters } : variant,
  );
}
