// The security part of inbound TCP filter chains: `envoy.filters.network.rbac` from AuthorizationPolicy for
// ports not served through an HTTP connection manager (those are checked by the HTTP RBAC filters). Rules
// that need HTTP fields cannot be checked here: ALLOW rules are dropped, DENY rules deny every connection.
import type { Filter } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { InboundPort } from '../cluster/inbound-ports.ts';
import { protocolClass } from '../listener/protocol-class.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { applicableAuthorizationPolicies } from './authz/applicable-policies.ts';
import { networkRbacFilter } from './authz/rbac-filters.ts';
import { rbacStages } from './authz/rbac-stages.ts';
import { customAuthorization } from './ext-authz/custom-authorization.ts';
import { attachmentPoint } from './policy/attachment-point.ts';

export function inboundNetworkFilters(ctx: TranslationContext, port: InboundPort): Filter[] {
  if (protocolClass(port.protocol) === 'http') return [];
  const point = attachmentPoint(ctx, port.port);
  const policies = applicableAuthorizationPolicies(ctx, point);
  const custom = customAuthorization(ctx, policies.CUSTOM, 'tcp');
  return [
    ...(custom.stage ? [networkRbacFilter(custom.stage)] : []),
    ...rbacStages(ctx, policies, 'tcp').map(networkRbacFilter),
  ];
}
