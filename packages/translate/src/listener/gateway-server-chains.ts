// The filter chains of one Gateway server, by kind: HTTP and HTTPS end in a connection manager, TLS
// passthrough and TCP in tcp_proxy to what the bound VirtualServices route to.
import { clone, create } from '@bufbuild/protobuf';
import {
  FilterChainMatchSchema,
  FilterChainSchema,
  type FilterChain,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { gatewayKey } from '../snapshot/mesh-index.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { buildFilterChainMatch } from './filter-chain-match.ts';
import { gatewayTransportSocket, HTTPS_ALPN } from './gateway-tls-context.ts';
import {
  boundVirtualServices,
  httpsRouteName,
  serverHosts,
  serverSni,
  type GatewayServer,
  type ServerKind,
} from './gateway-servers.ts';
import { gatewayHcm } from './hcm-presets.ts';
import { namespaceOf, resourceRef } from './l4-match.ts';
import { tcpRouteChains } from './tcp-routes.ts';
import { tlsRouteChains } from './tls-routes.ts';
import { LISTENER_WARNINGS } from './warning-codes.ts';

export function gatewayServerChains(
  ctx: TranslationContext,
  entry: GatewayServer,
  kind: Exclude<ServerKind, 'unsupported'>,
): FilterChain[] {
  const port = entry.server.port.number;
  switch (kind) {
    case 'http':
      return [
        create(FilterChainSchema, { name: `http.${port}`, filters: [gatewayHcm(ctx, port, `http.${port}`)] }),
      ];
    case 'https': {
      const transportSocket = gatewayTransportSocket(ctx, entry.gateway, entry.server, HTTPS_ALPN);
      if (!transportSocket) return [];
      const rds = httpsRouteName(entry);
      const filterChainMatch = buildFilterChainMatch({ serverNames: serverSni(entry) });
      return [
        create(FilterChainSchema, {
          name: rds,
          ...(filterChainMatch ? { filterChainMatch } : {}),
          filters: [gatewayHcm(ctx, port, rds)],
          transportSocket,
        }),
      ];
    }
    case 'tls-terminate': {
      const transportSocket = gatewayTransportSocket(ctx, entry.gateway, entry.server, []);
      if (!transportSocket) return [];
      const routed = routedChains(ctx, entry, 'tcp');
      const serverNames = serverSni(entry);
      // The SNI decides which certificate answers; the TCP routes decide where the decrypted bytes go.
      return routed.map((chain) => {
        const terminated = clone(FilterChainSchema, chain);
        if (serverNames.length > 0) {
          terminated.filterChainMatch ??= create(FilterChainMatchSchema, {});
          terminated.filterChainMatch.serverNames = [...serverNames].sort();
        }
        terminated.transportSocket = transportSocket;
        return terminated;
      });
    }
    case 'tls-passthrough':
      return routedChains(ctx, entry, 'tls');
    case 'tcp':
      return routedChains(ctx, entry, 'tcp');
  }
}

function routedChains(ctx: TranslationContext, entry: GatewayServer, routes: 'tcp' | 'tls'): FilterChain[] {
  const scope = {
    gateway: gatewayKey(entry.gateway.metadata.name, namespaceOf(entry.gateway)),
    listenPort: entry.server.port.number,
    defaultAddresses: [],
  };
  const virtualServices = boundVirtualServices(ctx, entry);
  const chains =
    routes === 'tls'
      ? tlsRouteChains(
          ctx,
          { ...scope, allowedHosts: serverHosts(entry).map((h) => h.host) },
          virtualServices,
        )
      : tcpRouteChains(ctx, scope, virtualServices).chains;
  if (chains.length === 0) {
    ctx.warn({
      code: LISTENER_WARNINGS.GATEWAY_SERVER_UNROUTED,
      message: `server on port ${entry.server.port.number} (${entry.server.port.name}) has no ${routes.toUpperCase()} route in a VirtualService bound to this gateway; nothing listens for it`,
      resource: resourceRef(entry.gateway),
    });
  }
  return chains;
}
