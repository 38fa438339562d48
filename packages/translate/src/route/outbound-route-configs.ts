// A sidecar's outbound route configurations: one per HTTP service port (`"9080"`) under transparent capture,
// or the single `http_proxy` configuration of the explicit HTTP proxy.
import type { VirtualService } from '@heddle/api';
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import type { VirtualHost } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { servicesInScope } from '../cluster/service-scope.ts';
import type { PortProtocol } from '../model/service.ts';
import { hostMatches, resolveHost } from '../snapshot/host-names.ts';
import { MESH_GATEWAY } from '../snapshot/mesh-index.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { ALLOW_ANY, BLOCK_ALL, blockRoute, passthroughRoute } from './default-routes.ts';
import { expandRules } from './delegate.ts';
import type { DomainStyle } from './domains.ts';
import { routeConfiguration } from './route-configuration.ts';
import { namespaceOf, type SourcedRule } from './route-scope.ts';
import { egressScope } from './sidecar-scope.ts';
import { sidecarVirtualHosts, type PortPlan } from './sidecar-virtual-hosts.ts';
import { virtualHost } from './virtual-hosts.ts';

export const HTTP_PROXY_ROUTE_CONFIG = 'http_proxy';

const HTTP_PROTOCOLS: ReadonlySet<PortProtocol> = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB']);

export function isHttpProtocol(protocol: PortProtocol): boolean {
  return HTTP_PROTOCOLS.has(protocol);
}

/** Hosts outside the registry: passed through (ALLOW_ANY) or answered 502 (REGISTRY_ONLY). */
function catchAllVirtualHost(ctx: TranslationContext): VirtualHost {
  const sidecarMode = ctx.index.sidecarFor(ctx.node)?.spec.outboundTrafficPolicy?.mode;
  const mode = sidecarMode ?? ctx.index.snapshot.meshConfig.outboundTrafficPolicy?.mode ?? 'ALLOW_ANY';
  return mode === 'REGISTRY_ONLY'
    ? virtualHost(BLOCK_ALL, ['*'], [blockRoute()])
    : virtualHost(ALLOW_ANY, ['*'], [passthroughRoute()]);
}

export function sidecarRouteConfigs(ctx: TranslationContext): RouteConfiguration[] {
  const { index, node } = ctx;
  const scope = egressScope(ctx, index.sidecarFor(node));
  // The cluster builder's list (visible, one per host name, Sidecar hosts): routes name only clusters it makes.
  const services = servicesInScope(ctx);
  const virtualServices = index
    .virtualServicesFor(MESH_GATEWAY, node.namespace)
    .filter((vs) => vs.spec.hosts?.length);
  const hostsOf = (vs: VirtualService): string[] =>
    (vs.spec.hosts ?? []).map((h) => resolveHost(h, namespaceOf(vs), index.domainSuffix));
  const expanded = new Map<VirtualService, readonly SourcedRule[]>();
  const rulesOf = (vs: VirtualService): readonly SourcedRule[] => {
    let rules = expanded.get(vs);
    if (!rules) expanded.set(vs, (rules = expandRules(ctx, vs)));
    return rules;
  };
  const httpPorts = [
    ...new Set(
      services.flatMap((s) => s.ports.filter((p) => isHttpProtocol(p.protocol)).map((p) => p.number)),
    ),
  ].sort((a, b) => a - b);
  const plan = (port: number, style: DomainStyle): PortPlan => {
    const onPort = services.filter(
      (s) =>
        s.ports.some((p) => p.number === port && isHttpProtocol(p.protocol)) &&
        scope.includesService(s, port),
    );
    // As in Istio, a VirtualService naming no service of the port joins only port 80, where hosts outside
    // the registry are called; elsewhere it would route the port to clusters that do not exist.
    const relevant = (vs: VirtualService): boolean =>
      port === 80 ||
      hostsOf(vs).some((h) => onPort.some((s) => hostMatches(h, s.hostname) || hostMatches(s.hostname, h)));
    return {
      port,
      style,
      services: onPort,
      virtualServices: virtualServices.filter((vs) => scope.includesVirtualService(vs, port) && relevant(vs)),
    };
  };
  if (node.capture === 'explicit') {
    // Port 80 is always served: an app calling an external name through its proxy usually omits the port.
    const ports = [...new Set([...httpPorts, 80])].sort((a, b) => a - b);
    const vhosts = ports.flatMap((port) => sidecarVirtualHosts(ctx, plan(port, 'proxy'), rulesOf));
    return [routeConfiguration(ctx, HTTP_PROXY_ROUTE_CONFIG, [...vhosts, catchAllVirtualHost(ctx)])];
  }
  // Every HTTP port gets its configuration, even when the port's egress listener leaves it no service, so a
  // listener naming it never waits for a route configuration that will not come.
  return httpPorts.map((port) =>
    routeConfiguration(ctx, String(port), [
      ...sidecarVirtualHosts(ctx, plan(port, 'transparent'), rulesOf),
      catchAllVirtualHost(ctx),
    ]),
  );
}
