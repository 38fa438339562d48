// One Istio HTTP rule → Envoy routes, one per applicable match, each with the rule's action and per-route
// filter config (fault, CORS).
import { create } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import type { HTTPMatchRequest } from '@heddle/api';
import { HTTP_FILTERS, packAny } from '@heddle/xds';
import { MetadataSchema, type Metadata } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import {
  RouteSchema,
  type Route,
  type RouteMatch,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { CorsPolicySchema } from '@heddle/xds/gen/envoy/extensions/filters/http/cors/v3/cors_pb.ts';
import { HTTPFaultSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/fault/v3/fault_pb.ts';
import { translateCors } from './cors.ts';
import { ignoredFaultFields, translateFault } from './fault.ts';
import { headerEdits } from './header-edits.ts';
import { matchApplies, translateMatch } from './match.ts';
import { translateDirectResponse, translateRedirect } from './redirect.ts';
import { forwardAction, singleDestination } from './route-action.ts';
import { namespaceOf, resourceLabel, type RouteScope, type SourcedRule } from './route-scope.ts';
import { isCatchAllRoute } from './sort-routes.ts';
import { ROUTE_WARNINGS } from './warning-codes.ts';

export interface RuleRoutes {
  readonly routes: Route[];
  /** The rule matches every request: later rules of the VirtualService can never be reached. */
  readonly catchAll: boolean;
}

/** Istio names a route `<rule>.<match>` when both are named. */
function routeName(ruleName: string | undefined, matchName: string | undefined): string {
  if (ruleName && matchName) return `${ruleName}.${matchName}`;
  return ruleName ?? matchName ?? '';
}

/** Where the route came from, in Istio's metadata form (read by proxy-config and describe tools). */
function configMetadata(sourced: SourcedRule): Metadata {
  const vs = sourced.virtualService;
  const path = `/apis/networking.istio.io/v1alpha3/namespaces/${namespaceOf(vs)}/virtual-service/${vs.metadata.name}`;
  return create(MetadataSchema, { filterMetadata: { istio: { config: path } } });
}

function filterConfigs(scope: RouteScope, sourced: SourcedRule, resource: string): Record<string, Any> {
  const out: Record<string, Any> = {};
  const { rule } = sourced;
  if (rule.fault) {
    for (const field of ignoredFaultFields(rule.fault)) {
      scope.ctx.warn({
        code: ROUTE_WARNINGS.UNSUPPORTED_FIELD,
        message: `fault ${field} is not supported and is ignored`,
        resource,
      });
    }
    const fault = translateFault(rule.fault);
    // A plain Any keyed by the filter name: the form both Envoy and gRPC clients accept.
    if (fault) out[HTTP_FILTERS.FAULT] = packAny(HTTPFaultSchema, fault);
  }
  if (rule.corsPolicy) out[HTTP_FILTERS.CORS] = packAny(CorsPolicySchema, translateCors(rule.corsPolicy));
  return out;
}

function buildRoute(
  scope: RouteScope,
  sourced: SourcedRule,
  match: HTTPMatchRequest | undefined,
  routeMatch: RouteMatch,
  resource: string,
): Route | undefined {
  const { rule, namespace } = sourced;
  const single = rule.redirect || rule.directResponse ? undefined : singleDestination(rule);
  const destinationHeaders = single !== undefined ? rule.route?.[single]?.headers : undefined;
  const edits = headerEdits(rule.headers, destinationHeaders);
  let action: Route['action'];
  if (rule.redirect) {
    const redirect = translateRedirect(rule.redirect, scope.port);
    if (!redirect) {
      scope.ctx.warn({
        code: ROUTE_WARNINGS.UNSUPPORTED_FIELD,
        message: `redirect code ${rule.redirect.redirectCode} is not one of 301, 302, 303, 307, 308; the rule is left out`,
        resource,
      });
      return undefined;
    }
    action = { case: 'redirect', value: redirect };
  } else if (rule.directResponse) {
    action = { case: 'directResponse', value: translateDirectResponse(rule.directResponse) };
  } else if (rule.route?.length) {
    const options = edits.authority !== undefined ? { authority: edits.authority } : {};
    action = { case: 'route', value: forwardAction(scope, rule, namespace, resource, options) };
  } else {
    return undefined;
  }
  return create(RouteSchema, {
    name: routeName(rule.name, match?.name),
    match: routeMatch,
    action,
    metadata: configMetadata(sourced),
    typedPerFilterConfig: filterConfigs(scope, sourced, resource),
    requestHeadersToAdd: edits.requestHeadersToAdd,
    requestHeadersToRemove: edits.requestHeadersToRemove,
    responseHeadersToAdd: edits.responseHeadersToAdd,
    responseHeadersToRemove: edits.responseHeadersToRemove,
    statPrefix: match?.statPrefix ?? '',
  });
}

export function translateRule(scope: RouteScope, sourced: SourcedRule): RuleRoutes {
  const { rule, namespace } = sourced;
  const resource = resourceLabel(sourced.virtualService);
  const matches: readonly (HTTPMatchRequest | undefined)[] = rule.match?.length ? rule.match : [undefined];
  const routes: Route[] = [];
  for (const match of matches) {
    if (!matchApplies(match, scope, namespace)) continue;
    const routeMatch = translateMatch(match, scope, resource);
    if (!routeMatch) continue;
    const route = buildRoute(scope, sourced, match, routeMatch, resource);
    if (!route) continue;
    routes.push(route);
    // Decided on the Envoy route: port, gateway and source conditions are already settled for this proxy.
    if (isCatchAllRoute(route)) return { routes, catchAll: true };
  }
  return { routes, catchAll: false };
}

/** Rules in order; rules after one that matches everything are unreachable and left out, as in Istio. */
export function translateRules(scope: RouteScope, rules: readonly SourcedRule[]): Route[] {
  const out: Route[] = [];
  for (const sourced of rules) {
    const { routes, catchAll } = translateRule(scope, sourced);
    out.push(...routes);
    if (catchAll) break;
  }
  return out;
}
