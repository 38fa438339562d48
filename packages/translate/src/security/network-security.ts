// The security part of inbound TCP filter chains: network RBAC from AuthorizationPolicy for ports that are
// not served through an HTTP connection manager.
import type { Filter } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { InboundPort } from '../cluster/inbound-ports.ts';
import type { TranslationContext } from '../translate-proxy.ts';

/** Nothing yet: `envoy.filters.network.rbac` for TCP ports plugs in here. */
export function inboundNetworkFilters(_ctx: TranslationContext, _port: InboundPort): Filter[] {
  return [];
}
