// One route of the sidecar route builders in the form a gRPC client accepts: forwarding to a cluster or
// weighted clusters, path and header matches, a plain HTTPFault override, gRPC retries, max_stream_duration.
import { create, type JsonValue } from '@bufbuild/protobuf';
import type { Duration } from '@bufbuild/protobuf/wkt';
import { HTTP_FILTERS } from '@heddle/xds';
import {
  RouteActionSchema,
  RouteSchema,
  WeightedClusterSchema,
  type RetryPolicy,
  type Route,
  type RouteAction,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { grpcRetryPolicy } from './grpc-retry.ts';
import { GRPC_WARNINGS } from './warning-codes.ts';

const VIRTUAL_SERVICE_PATH = /\/namespaces\/([^/]+)\/virtual-service\/([^/]+)$/;

/** `VirtualService ns/name`, read back from the route's Istio metadata; default routes have none. */
function sourceOf(route: Route): string | undefined {
  const config: JsonValue | undefined = route.metadata?.filterMetadata.istio?.config;
  const match = typeof config === 'string' ? VIRTUAL_SERVICE_PATH.exec(config) : null;
  return match ? `VirtualService ${match[1]}/${match[2]}` : undefined;
}

const positive = (d: Duration | undefined): d is Duration =>
  d !== undefined && (d.seconds > 0n || d.nanos > 0);

/** What the Envoy route does that a gRPC client would silently skip, named as in Istio's API. */
function ignoredParts(route: Route, action: RouteAction, perTryTimeout: boolean): string[] {
  const parts: string[] = [];
  if (action.requestMirrorPolicies.length > 0) parts.push('mirror');
  if (action.prefixRewrite !== '' || action.regexRewrite || action.hostRewriteSpecifier.case !== undefined)
    parts.push('rewrite');
  const weighted =
    action.clusterSpecifier.case === 'weightedClusters' ? action.clusterSpecifier.value.clusters : [];
  const editing = [route, ...weighted].some(
    (r) =>
      r.requestHeadersToAdd.length + r.requestHeadersToRemove.length > 0 ||
      r.responseHeadersToAdd.length + r.responseHeadersToRemove.length > 0,
  );
  if (editing) parts.push('headers');
  if (Object.keys(route.typedPerFilterConfig).some((name) => name !== HTTP_FILTERS.FAULT))
    parts.push('corsPolicy');
  if (perTryTimeout) parts.push('retries.perTryTimeout');
  if (action.hashPolicy.some((hash) => hash.policySpecifier.case !== 'header'))
    parts.push('consistentHash by cookie, source IP or query parameter (only httpHeaderName)');
  return parts;
}

function grpcAction(action: RouteAction, retryPolicy: RetryPolicy | undefined): RouteAction {
  const specifier = action.clusterSpecifier;
  return create(RouteActionSchema, {
    clusterSpecifier:
      specifier.case === 'weightedClusters'
        ? {
            case: 'weightedClusters',
            value: create(WeightedClusterSchema, {
              clusters: specifier.value.clusters.map((c) => ({ name: c.name, weight: c.weight })),
            }),
          }
        : specifier,
    hashPolicy: action.hashPolicy.filter((hash) => hash.policySpecifier.case === 'header'),
    retryPolicy,
    // gRPC reads the route deadline here and ignores `timeout`; 0 (none) is left unset, which means the same.
    maxStreamDuration: positive(action.timeout) ? { maxStreamDuration: action.timeout } : undefined,
  });
}

/** Undefined for a route a gRPC client would reject or could never match; the warning says which and why. */
export function grpcRoute(ctx: TranslationContext, route: Route, virtualHost: string): Route | undefined {
  const resource = sourceOf(route);
  const label = route.name !== '' ? `route ${route.name} of ${virtualHost}` : `a route of ${virtualHost}`;
  const warn = (code: string, message: string): void =>
    ctx.warn({ code, message, ...(resource !== undefined ? { resource } : {}) });
  if (route.action.case !== 'route') {
    const kinds: Record<string, string> = { redirect: 'a redirect', directResponse: 'a direct response' };
    const kind = kinds[route.action.case ?? ''] ?? `a ${route.action.case ?? 'route without action'}`;
    warn(
      GRPC_WARNINGS.ROUTE_SKIPPED,
      `${label} is ${kind}, which proxyless gRPC clients reject; it is left out`,
    );
    return undefined;
  }
  if ((route.match?.queryParameters.length ?? 0) > 0) {
    warn(
      GRPC_WARNINGS.ROUTE_SKIPPED,
      `${label} matches query parameters, which gRPC requests never carry; it is left out`,
    );
    return undefined;
  }
  const action = route.action.value;
  const retry = grpcRetryPolicy(action.retryPolicy);
  const ignored = ignoredParts(route, action, retry.perTryTimeout);
  if (ignored.length > 0) {
    warn(
      GRPC_WARNINGS.UNSUPPORTED_FIELD,
      `${label}: proxyless gRPC clients do not apply ${ignored.join(', ')}; left out`,
    );
  }
  if (retry.noGrpcCondition) {
    warn(
      GRPC_WARNINGS.UNSUPPORTED_FIELD,
      `${label} retries on ${action.retryPolicy?.retryOn ?? ''}, none of which is a gRPC condition (cancelled, deadline-exceeded, internal, resource-exhausted, unavailable); gRPC clients will not retry`,
    );
  }
  const fault = route.typedPerFilterConfig[HTTP_FILTERS.FAULT];
  return create(RouteSchema, {
    name: route.name,
    match: route.match,
    action: { case: 'route', value: grpcAction(action, retry.policy) },
    metadata: route.metadata,
    // A plain Any keyed by the HCM's filter name: a FilterConfig wrapper makes gRPC NACK the whole config.
    typedPerFilterConfig: fault ? { [HTTP_FILTERS.FAULT]: fault } : {},
  });
}
