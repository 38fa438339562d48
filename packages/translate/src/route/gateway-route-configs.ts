// A gateway proxy's route configurations: `http.<port>` per plaintext HTTP port (all servers on it merged) and
// `https.<port>.<portName>.<gateway>.<namespace>` per TLS-terminating HTTPS server.
import type { Gateway, Server, VirtualService } from '@heddle/api';
import type { Route } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import { resolveHost } from '../snapshot/host-names.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { notFoundRoute } from './default-routes.ts';
import { expandRules } from './delegate.ts';
import { gatewayDomains } from './domains.ts';
import { admittedHosts, boundHosts, parseServerHosts } from './gateway-hosts.ts';
import { translateRules } from './http-route.ts';
import { routeConfiguration } from './route-configuration.ts';
import { namespaceOf, type RouteScope, type SourcedRule } from './route-scope.ts';
import { sortCatchAllLast } from './sort-routes.ts';
import { virtualHost, virtualHostName } from './virtual-hosts.ts';

const PLAINTEXT_HTTP = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB']);
const TERMINATING_TLS = new Set(['SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL']);

interface GatewayServer {
  readonly gateway: Gateway;
  readonly server: Server;
}

interface PendingHost {
  readonly host: string;
  readonly routes: Route[];
  requireTls: boolean;
}

/** Undefined for servers that carry no HTTP routes (TCP, TLS passthrough): the listener part handles those. */
export function gatewayRouteConfigName(gateway: Gateway, server: Server): string | undefined {
  const protocol = server.port.protocol.toUpperCase();
  if (PLAINTEXT_HTTP.has(protocol)) return `http.${server.port.number}`;
  if (protocol === 'HTTPS' && TERMINATING_TLS.has(server.tls?.mode ?? 'PASSTHROUGH')) {
    return `https.${server.port.number}.${server.port.name}.${gateway.metadata.name}.${namespaceOf(gateway)}`;
  }
  return undefined;
}

function collectHosts(
  ctx: TranslationContext,
  { gateway, server }: GatewayServer,
  rulesOf: (vs: VirtualService) => readonly SourcedRule[],
  pending: Map<string, PendingHost>,
): void {
  const gatewayNamespace = namespaceOf(gateway);
  const key = `${gatewayNamespace}/${gateway.metadata.name}`;
  const port = server.port.number;
  const scope: RouteScope = { ctx, port, gateways: new Set([key]), isGateway: true };
  const serverHosts = parseServerHosts(server, gatewayNamespace);
  const redirect =
    PLAINTEXT_HTTP.has(server.port.protocol.toUpperCase()) && server.tls?.httpsRedirect === true;
  for (const vs of ctx.index.virtualServicesFor(key, gatewayNamespace)) {
    const namespace = namespaceOf(vs);
    const vsHosts = (vs.spec.hosts ?? []).map((h) => resolveHost(h, namespace, ctx.index.domainSuffix));
    const hosts = boundHosts(vsHosts, admittedHosts(serverHosts, namespace));
    if (hosts.length === 0) continue;
    const routes = translateRules(scope, rulesOf(vs));
    if (routes.length === 0) continue;
    for (const host of hosts) {
      const name = virtualHostName(host, port);
      const entry = pending.get(name) ?? { host, routes: [], requireTls: false };
      // Several VirtualServices for one host on a gateway are merged, oldest first (Istio's rule).
      entry.routes.push(...routes);
      entry.requireTls ||= redirect;
      pending.set(name, entry);
    }
  }
  // httpsRedirect answers every host of the server, routed or not.
  if (!redirect) return;
  for (const { host } of serverHosts) {
    const name = virtualHostName(host, port);
    const existing = pending.get(name);
    if (existing) existing.requireTls = true;
    else pending.set(name, { host, routes: [], requireTls: true });
  }
}

export function gatewayRouteConfigs(ctx: TranslationContext): RouteConfiguration[] {
  const byName = new Map<string, GatewayServer[]>();
  for (const gateway of ctx.index.gatewaysFor(ctx.node)) {
    for (const server of gateway.spec.servers ?? []) {
      const name = gatewayRouteConfigName(gateway, server);
      if (name === undefined) continue;
      byName.set(name, [...(byName.get(name) ?? []), { gateway, server }]);
    }
  }
  const expanded = new Map<VirtualService, readonly SourcedRule[]>();
  const rulesOf = (vs: VirtualService): readonly SourcedRule[] => {
    let rules = expanded.get(vs);
    if (!rules) expanded.set(vs, (rules = expandRules(ctx, vs)));
    return rules;
  };
  return [...byName].map(([name, servers]) => {
    const pending = new Map<string, PendingHost>();
    for (const entry of servers) collectHosts(ctx, entry, rulesOf, pending);
    const vhosts = [...pending].map(([vhostName, host]) =>
      virtualHost(vhostName, gatewayDomains(host.host), sortCatchAllLast(host.routes), {
        requireTls: host.requireTls,
      }),
    );
    const port = servers[0]?.server.port.number ?? 0;
    if (vhosts.length === 0) vhosts.push(virtualHost(`blackhole:${port}`, ['*'], [notFoundRoute()]));
    return routeConfiguration(ctx, name, vhosts);
  });
}
