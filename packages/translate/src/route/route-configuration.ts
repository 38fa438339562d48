// Wraps virtual hosts into a RouteConfiguration: domains de-duplicated in precedence order, output sorted.
import { create } from '@bufbuild/protobuf';
import {
  RouteConfigurationSchema,
  type RouteConfiguration,
} from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import type { VirtualHost } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { dedupeDomains } from './virtual-hosts.ts';

/** Envoy rejects direct-response bodies above this unless the route configuration raises the limit. */
const ENVOY_DEFAULT_MAX_BODY = 4096;

function largestDirectBody(vhosts: readonly VirtualHost[]): number {
  let largest = 0;
  for (const vhost of vhosts) {
    for (const route of vhost.routes) {
      if (route.action.case !== 'directResponse') continue;
      const body = route.action.value.body?.specifier;
      const size =
        body?.case === 'inlineString'
          ? new TextEncoder().encode(body.value).length
          : body?.case === 'inlineBytes'
            ? body.value.length
            : 0;
      largest = Math.max(largest, size);
    }
  }
  return largest;
}

/**
 * `vhosts` in precedence order: an earlier virtual host keeps a domain that a later one also lists.
 * Clusters are not validated: a route may name a cluster that another push has not delivered yet, or that
 * does not exist (it then answers 503, as in Istio).
 */
export function routeConfiguration(
  ctx: TranslationContext,
  name: string,
  vhosts: readonly VirtualHost[],
): RouteConfiguration {
  const virtualHosts = dedupeDomains(ctx, name, vhosts).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const largest = largestDirectBody(virtualHosts);
  return create(RouteConfigurationSchema, {
    name,
    virtualHosts,
    validateClusters: false,
    maxDirectResponseBodySizeBytes: largest > ENVOY_DEFAULT_MAX_BODY ? largest : undefined,
  });
}
