// Gateway proxies: one listener per server address and port of the Gateways that select the proxy.
import { create } from '@bufbuild/protobuf';
import { listenerName } from '@heddle/xds';
import type { FilterChain } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { ListenerSchema, type Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { ANY_ADDRESS, socketAddress } from './address.ts';
import { durationFromText } from './duration.ts';
import { finalizeChains } from './finalize-chains.ts';
import { gatewayServerChains } from './gateway-server-chains.ts';
import { serverFamily, serverKind, type GatewayServer, type ServerFamily } from './gateway-servers.ts';
import { resourceRef } from './l4-match.ts';
import { withListenerFilters } from './listener-filters.ts';
import { LISTENER_WARNINGS } from './warning-codes.ts';

export function buildGatewayListeners(ctx: TranslationContext): Listener[] {
  const byAddress = new Map<string, { address: string; port: number; servers: GatewayServer[] }>();
  for (const gateway of ctx.index.gatewaysFor(ctx.node)) {
    for (const server of gateway.spec.servers ?? []) {
      const address = server.bind ?? ANY_ADDRESS;
      if (address.startsWith('unix://')) {
        ctx.warn({
          code: LISTENER_WARNINGS.GATEWAY_SERVER_UNSUPPORTED,
          message: `server on port ${server.port.number} binds ${address}; Unix domain socket binds are not supported`,
          resource: resourceRef(gateway),
        });
        continue;
      }
      const name = listenerName(address, server.port.number);
      const group = byAddress.get(name) ?? { address, port: server.port.number, servers: [] };
      group.servers.push({ gateway, server });
      byAddress.set(name, group);
    }
  }
  return [...byAddress.entries()].flatMap(([name, group]) => gatewayListener(ctx, name, group) ?? []);
}

/**
 * Servers are taken in precedence order (oldest Gateway first); the first decides whether the port is
 * plaintext HTTP, plaintext TCP or TLS, and servers of another family are left out with a warning.
 */
function gatewayListener(
  ctx: TranslationContext,
  name: string,
  group: { address: string; port: number; servers: readonly GatewayServer[] },
): Listener | undefined {
  let family: ServerFamily | undefined;
  let httpServed = false;
  const chains: FilterChain[] = [];
  for (const entry of group.servers) {
    const kind = serverKind(entry.server);
    if (kind === 'unsupported') {
      ctx.warn({
        code: LISTENER_WARNINGS.GATEWAY_SERVER_UNSUPPORTED,
        message: `server on port ${group.port} (${entry.server.port.name}): ${entry.server.port.protocol} with TLS mode ${entry.server.tls?.mode ?? 'unset'} is not supported`,
        resource: resourceRef(entry.gateway),
      });
      continue;
    }
    family ??= serverFamily(kind);
    if (serverFamily(kind) !== family) {
      ctx.warn({
        code: LISTENER_WARNINGS.GATEWAY_PORT_CONFLICT,
        message: `server on port ${group.port} (${entry.server.port.name}) is ${kind} but the port already serves ${family}; it is not served`,
        resource: resourceRef(entry.gateway),
      });
      continue;
    }
    // Every plaintext HTTP server of a port shares one connection manager and the route config `http.<port>`.
    if (kind === 'http' && httpServed) continue;
    httpServed ||= kind === 'http';
    chains.push(...gatewayServerChains(ctx, entry, kind));
  }
  const filterChains = finalizeChains(ctx, name, chains);
  if (filterChains.length === 0) return undefined;
  const listener = create(ListenerSchema, {
    name,
    address: socketAddress(group.address, group.port),
    filterChains,
  });
  return withListenerFilters(listener, {
    detectionTimeout: durationFromText(ctx.index.snapshot.meshConfig.protocolDetectionTimeout),
  });
}
