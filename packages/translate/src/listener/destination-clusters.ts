// VirtualService TCP/TLS route destinations as outbound cluster names with weights.
import type { RouteDestination } from '@heddle/api';
import { outboundClusterName } from '@heddle/xds';
import { resolveHost } from '../snapshot/host-names.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import type { WeightedCluster } from './tcp-proxy.ts';
import { LISTENER_WARNINGS } from './warning-codes.ts';

export interface DestinationScope {
  /** Namespace of the VirtualService: short host names resolve there. */
  readonly namespace: string;
  /** Port of the listener, used when a destination names no port and its service has several. */
  readonly listenPort: number;
  /** `VirtualService ns/name`, for warnings. */
  readonly resource: string;
}

/**
 * A missing host or subset is warned about but still named, as Istio does: the connection then fails
 * visibly (no such cluster) rather than silently going elsewhere.
 */
export function clustersForDestinations(
  ctx: TranslationContext,
  scope: DestinationScope,
  destinations: readonly RouteDestination[],
): WeightedCluster[] {
  const weights = new Map<string, number>();
  for (const { destination, weight } of destinations) {
    const host = resolveHost(destination.host, scope.namespace, ctx.index.domainSuffix);
    const service = ctx.index.serviceFor(host, ctx.node.namespace);
    if (!service) {
      ctx.warn({
        code: LISTENER_WARNINGS.DESTINATION_NOT_FOUND,
        message: `destination host ${host} is not in the service registry`,
        resource: scope.resource,
      });
    }
    const onlyPort = service?.ports.length === 1 ? service.ports[0]?.number : undefined;
    const port = destination.port?.number ?? onlyPort ?? scope.listenPort;
    const subset = destination.subset ?? '';
    if (subset !== '' && service && !subsetDefined(ctx, host, subset)) {
      ctx.warn({
        code: LISTENER_WARNINGS.SUBSET_NOT_FOUND,
        message: `subset ${subset} of ${host} is not defined by any DestinationRule`,
        resource: scope.resource,
      });
    }
    const name = outboundClusterName(port, subset, host);
    const share = destinations.length === 1 ? 100 : (weight ?? 0);
    weights.set(name, (weights.get(name) ?? 0) + share);
  }
  const clusters = [...weights].map(([name, weight]) => ({ name, weight })).filter((c) => c.weight > 0);
  if (clusters.length > 0) return clusters;
  // Every weight zero or unset: the validator reports it; the first destination takes all traffic.
  const first = [...weights.keys()][0];
  return first === undefined ? [] : [{ name: first, weight: 100 }];
}

function subsetDefined(ctx: TranslationContext, host: string, subset: string): boolean {
  const rule = ctx.index.destinationRuleFor(host, ctx.node.namespace);
  return rule?.spec.subsets?.some((s) => s.name === subset) ?? false;
}
