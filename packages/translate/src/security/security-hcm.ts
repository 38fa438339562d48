// The security part of every HTTP connection manager: CUSTOM authorization (ext_authz), request
// authentication (jwt_authn) and authorization (rbac), from AuthorizationPolicy and RequestAuthentication.
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { HcmScope } from '../listener/hcm-hooks.ts';
import type { TranslationContext } from '../translate-proxy.ts';

export interface SecurityHttpFilters {
  readonly customAuthorization?: readonly HttpFilter[];
  readonly authentication?: readonly HttpFilter[];
  readonly authorization?: readonly HttpFilter[];
}

/** Nothing yet: the AuthorizationPolicy and RequestAuthentication translation plugs in here. */
export function securityHcmExtensions(_ctx: TranslationContext, _scope: HcmScope): SecurityHttpFilters {
  return {};
}
