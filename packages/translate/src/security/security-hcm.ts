// The security part of every HTTP connection manager that receives traffic (sidecar inbound, gateways):
// CUSTOM authorization (an RBAC filter with the CUSTOM rules as shadow rules, then ext_authz), request
// authentication (jwt_authn) and authorization (RBAC: AUDIT, DENY, ALLOW), from AuthorizationPolicy and
// RequestAuthentication. Sidecar outbound traffic is checked by the server's proxy, not here.
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { HcmScope } from '../listener/hcm-hooks.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { applicableAuthorizationPolicies } from './authz/applicable-policies.ts';
import { httpRbacFilter } from './authz/rbac-filters.ts';
import { rbacStages } from './authz/rbac-stages.ts';
import { customAuthorization } from './ext-authz/custom-authorization.ts';
import { jwtAuthnFilter } from './jwt/jwt-authn-filter.ts';
import { attachmentPoint } from './policy/attachment-point.ts';

export interface SecurityHttpFilters {
  readonly customAuthorization?: readonly HttpFilter[];
  readonly authentication?: readonly HttpFilter[];
  readonly authorization?: readonly HttpFilter[];
}

export function securityHcmExtensions(ctx: TranslationContext, scope: HcmScope): SecurityHttpFilters {
  if (scope.listenerClass === 'sidecar-outbound') return {};
  const point = attachmentPoint(ctx, scope.port);
  const policies = applicableAuthorizationPolicies(ctx, point);
  const custom = customAuthorization(ctx, policies.CUSTOM, 'http');
  const customFilters = [
    ...(custom.stage ? [httpRbacFilter(custom.stage)] : []),
    ...(custom.extAuthz ? [custom.extAuthz] : []),
  ];
  const jwt = jwtAuthnFilter(ctx, point);
  const authorization = rbacStages(ctx, policies, 'http').map(httpRbacFilter);
  return {
    ...(customFilters.length > 0 ? { customAuthorization: customFilters } : {}),
    ...(jwt ? { authentication: [jwt] } : {}),
    ...(authorization.length > 0 ? { authorization } : {}),
  };
}
