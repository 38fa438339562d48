// A VirtualService destination (host, subset, port) as the outbound cluster it names, with warnings when the
// host, port or subset does not exist.
import type { Destination } from '@heddle/api';
import { outboundClusterName } from '@heddle/xds';
import type { MeshService } from '../model/service.ts';
import { resolveHost } from '../snapshot/host-names.ts';
import type { RouteScope } from './route-scope.ts';
import { ROUTE_WARNINGS } from './warning-codes.ts';

export interface ResolvedDestination {
  readonly cluster: string;
  readonly hostname: string;
  readonly port: number;
  /** '' for none. */
  readonly subset: string;
  readonly service?: MeshService;
}

/**
 * As Istio: the port defaults to the service's only port, else to the listener port. A missing host, port or
 * subset still yields the cluster name — requests then fail visibly (503, no cluster) instead of going
 * elsewhere — and a warning says why.
 */
export function resolveDestination(
  scope: RouteScope,
  destination: Destination,
  namespace: string,
  resource: string,
): ResolvedDestination {
  const { ctx } = scope;
  const hostname = resolveHost(destination.host, namespace, ctx.index.domainSuffix);
  const service = ctx.index.serviceFor(hostname, ctx.node.namespace);
  const onlyPort = service?.ports.length === 1 ? service.ports[0]?.number : undefined;
  const port = destination.port?.number ?? onlyPort ?? scope.port;
  const subset = destination.subset ?? '';
  if (!service) {
    ctx.warn({
      code: ROUTE_WARNINGS.DESTINATION_NOT_FOUND,
      message: `destination host ${hostname} is not in the service registry; requests routed to it fail with 503`,
      resource,
    });
  } else if (!service.ports.some((p) => p.number === port)) {
    ctx.warn({
      code: ROUTE_WARNINGS.DESTINATION_PORT_NOT_FOUND,
      message: `destination ${hostname} has no port ${port} (ports: ${service.ports.map((p) => p.number).join(', ')})`,
      resource,
    });
  }
  if (service && subset !== '') {
    const rule = ctx.index.destinationRuleFor(hostname, ctx.node.namespace);
    if (!rule?.spec.subsets?.some((s) => s.name === subset)) {
      ctx.warn({
        code: ROUTE_WARNINGS.SUBSET_NOT_FOUND,
        message: `subset ${subset} of ${hostname} is not defined by any DestinationRule; requests routed to it fail with 503`,
        resource,
      });
    }
  }
  return {
    cluster: outboundClusterName(port, subset, hostname),
    hostname,
    port,
    subset,
    ...(service ? { service } : {}),
  };
}
