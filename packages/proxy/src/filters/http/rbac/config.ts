// The HTTP RBAC filter's config (filter level and RBACPerRoute), compiled once per update.
import type { Any } from '@bufbuild/protobuf/wkt';
import { HTTP_RBAC_PER_ROUTE_TYPE_URL, HTTP_RBAC_TYPE_URL, unpackAnyAs } from '@heddle/xds';
import {
  RBACPerRouteSchema,
  RBACSchema,
  type RBAC,
} from '@heddle/xds/gen/envoy/extensions/filters/http/rbac/v3/rbac_pb.ts';
import { compileRbacRules, type RbacRules } from '../../common/rbac/rbac-rules.ts';
import type { FactoryResult } from '../http-filter.ts';

export interface HttpRbacConfig {
  readonly rules: RbacRules;
  readonly rulesStatPrefix: string;
}

/** Per route: a replacement config, or `undefined` when RBACPerRoute has no `rbac` (the filter is off there). */
export interface HttpRbacPerRoute {
  readonly config: HttpRbacConfig | undefined;
}

export function compileHttpRbac(rbac: RBAC, where: string): FactoryResult<HttpRbacConfig> {
  if (rbac.trackPerRuleStats) return { error: `${where}: track_per_rule_stats is not supported` };
  const rules = compileRbacRules(rbac, where);
  if ('error' in rules) return rules;
  return { value: { rules: rules.value, rulesStatPrefix: rbac.rulesStatPrefix } };
}

export function parseHttpRbac(any: Any | undefined): FactoryResult<HttpRbacConfig> {
  if (!any) return { error: 'rbac: the filter needs a typed_config' };
  if (any.typeUrl !== HTTP_RBAC_TYPE_URL) return { error: `rbac: unexpected config type ${any.typeUrl}` };
  const rbac = unpackAnyAs(any, RBACSchema);
  if (!rbac) return { error: `rbac: cannot decode ${any.typeUrl}` };
  return compileHttpRbac(rbac, 'rbac');
}

export function parseHttpRbacPerRoute(any: Any): FactoryResult<HttpRbacPerRoute> {
  if (any.typeUrl !== HTTP_RBAC_PER_ROUTE_TYPE_URL) {
    return { error: `rbac: unexpected per-route config type ${any.typeUrl}` };
  }
  const perRoute = unpackAnyAs(any, RBACPerRouteSchema);
  if (!perRoute) return { error: `rbac: cannot decode ${any.typeUrl}` };
  if (!perRoute.rbac) return { value: { config: undefined } };
  const compiled = compileHttpRbac(perRoute.rbac, 'rbac_per_route.rbac');
  if ('error' in compiled) return compiled;
  return { value: { config: compiled.value } };
}
