// The virtual hosts of one outbound port of a sidecar: VirtualService hosts with their rules, then a default
// route for every service no VirtualService routes.
import type { VirtualService } from '@heddle/api';
import type { Route, VirtualHost } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { MeshService } from '../model/service.ts';
import { MESH_GATEWAY } from '../snapshot/mesh-index.ts';
import { hostMatches, resolveHost } from '../snapshot/host-names.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { defaultServiceRoute } from './default-routes.ts';
import { domainForms, serviceDomains, type DomainStyle } from './domains.ts';
import { translateRules } from './http-route.ts';
import { namespaceOf, resourceLabel, type RouteScope, type SourcedRule } from './route-scope.ts';
import { virtualHost, virtualHostName } from './virtual-hosts.ts';
import { ROUTE_WARNINGS } from './warning-codes.ts';

export interface PortPlan {
  readonly port: number;
  readonly style: DomainStyle;
  /** HTTP services with this port that the proxy may reach, sorted by host name. */
  readonly services: readonly MeshService[];
  /** Mesh VirtualServices with hosts that the proxy may use, oldest first (the older one wins a host). */
  readonly virtualServices: readonly VirtualService[];
}

interface VirtualServiceHosts {
  readonly services: MeshService[];
  /** Hosts with no service on this port: external names, wildcards that match no service. */
  readonly hosts: string[];
}

/**
 * A wildcard host takes the services it covers, except those another VirtualService names exactly; with no
 * service covered it stays a wildcard domain.
 */
function splitHosts(
  hosts: readonly string[],
  plan: PortPlan,
  byHost: ReadonlyMap<string, MeshService>,
  namedExactly: ReadonlySet<string>,
): VirtualServiceHosts {
  const out: VirtualServiceHosts = { services: [], hosts: [] };
  for (const host of hosts) {
    if (!host.includes('*')) {
      const service = byHost.get(host);
      if (service) out.services.push(service);
      else out.hosts.push(host);
      continue;
    }
    const covered = plan.services.filter(
      (s) => hostMatches(host, s.hostname) && (!namedExactly.has(s.hostname) || hosts.includes(s.hostname)),
    );
    if (covered.length > 0) out.services.push(...covered);
    else out.hosts.push(host);
  }
  return out;
}

export function sidecarVirtualHosts(
  ctx: TranslationContext,
  plan: PortPlan,
  rulesOf: (vs: VirtualService) => readonly SourcedRule[],
): VirtualHost[] {
  const { port, style } = plan;
  const { domainSuffix } = ctx.index;
  const scope: RouteScope = { ctx, port, gateways: new Set([MESH_GATEWAY]), isGateway: false };
  const byHost = new Map(plan.services.map((s) => [s.hostname, s]));
  // `reviews` and `reviews.<ns>.svc.cluster.local` name one host: resolve, then keep each once.
  const hostsOf = (vs: VirtualService): string[] => [
    ...new Set((vs.spec.hosts ?? []).map((h) => resolveHost(h, namespaceOf(vs), domainSuffix))),
  ];
  const namedExactly = new Set(plan.virtualServices.flatMap(hostsOf).filter((h) => byHost.has(h)));
  const owners = new Map<string, string>();
  const vhosts: VirtualHost[] = [];
  const add = (name: string, domains: string[], routes: Route[], vs: VirtualService): void => {
    const owner = owners.get(name);
    if (owner !== undefined) {
      ctx.warn({
        code: ROUTE_WARNINGS.DUPLICATE_HOST,
        message: `host ${name} is already routed by ${owner}; this VirtualService's rules for it are ignored`,
        resource: resourceLabel(vs),
      });
      return;
    }
    owners.set(name, resourceLabel(vs));
    vhosts.push(virtualHost(name, domains, routes));
  };
  for (const vs of plan.virtualServices) {
    const split = splitHosts(hostsOf(vs), plan, byHost, namedExactly);
    const routes = translateRules(scope, rulesOf(vs));
    // No rule applies to this proxy: its services keep their default routes.
    if (routes.length === 0) continue;
    for (const host of split.hosts)
      add(virtualHostName(host, port), domainForms([host], port, style), routes, vs);
    for (const service of split.services) {
      const name = virtualHostName(service.hostname, port);
      add(name, serviceDomains(service, port, style, ctx.node.namespace, domainSuffix), routes, vs);
    }
  }
  for (const service of plan.services) {
    const name = virtualHostName(service.hostname, port);
    if (owners.has(name)) continue;
    vhosts.push(
      virtualHost(name, serviceDomains(service, port, style, ctx.node.namespace, domainSuffix), [
        defaultServiceRoute(scope, service),
      ]),
    );
  }
  return vhosts;
}
