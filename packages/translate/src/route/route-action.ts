// An Istio rule's `route` (weighted destinations) with its timeout, retries, hashing, mirrors and rewrites, as
// an Envoy RouteAction.
import { create } from '@bufbuild/protobuf';
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import type { HTTPRoute } from '@heddle/api';
import {
  RouteActionSchema,
  WeightedClusterSchema,
  type RouteAction,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { protoDuration } from '../cluster/proto-duration.ts';
import { resolveDestination, type ResolvedDestination } from './destination.ts';
import { hashPoliciesFor } from './hash-policies.ts';
import { headerEdits } from './header-edits.ts';
import { mirrorPolicies } from './mirrors.ts';
import { retryPolicy } from './retry-policy.ts';
import type { RouteScope } from './route-scope.ts';

/** Request authority set by the rule-level `headers`; the caller knows it (it also builds the header edits). */
export interface ActionOptions {
  readonly authority?: string;
}

function weightedClusters(
  resolved: readonly ResolvedDestination[],
  rule: HTTPRoute,
): RouteAction['clusterSpecifier'] {
  const destinations = rule.route ?? [];
  const entries = resolved
    .map((destination, i) => ({
      destination,
      weight: destinations[i]?.weight ?? 0,
      headers: destinations[i]?.headers,
    }))
    .filter((entry) => entry.weight > 0);
  return {
    case: 'weightedClusters',
    value: create(WeightedClusterSchema, {
      clusters: entries.map((entry) => {
        const edits = headerEdits(entry.headers);
        return {
          name: entry.destination.cluster,
          weight: entry.weight,
          requestHeadersToAdd: edits.requestHeadersToAdd,
          requestHeadersToRemove: edits.requestHeadersToRemove,
          responseHeadersToAdd: edits.responseHeadersToAdd,
          responseHeadersToRemove: edits.responseHeadersToRemove,
          hostRewriteSpecifier:
            edits.authority !== undefined
              ? { case: 'hostRewriteLiteral' as const, value: edits.authority }
              : { case: undefined },
        };
      }),
    }),
  };
}

/**
 * The index of the destination that takes all traffic, or undefined when traffic is split: one destination,
 * or only one with a weight; when every weight is 0 (the validator reports it) the first takes all.
 */
export function singleDestination(rule: HTTPRoute): number | undefined {
  const destinations = rule.route ?? [];
  const weighted = destinations.flatMap((d, i) => ((d.weight ?? 0) > 0 ? [i] : []));
  if (weighted.length > 1) return undefined;
  return weighted[0] ?? 0;
}

/**
 * One destination (or only one with weight) is a plain `cluster`; its per-destination headers are then
 * applied at route level by the caller. No `timeout` means none at all (`0s`): Istio turns off Envoy's 15 s
 * default, and the gRPC deadline cap follows the same value.
 */
export function forwardAction(
  scope: RouteScope,
  rule: HTTPRoute,
  namespace: string,
  resource: string,
  options: ActionOptions = {},
): RouteAction {
  const destinations = rule.route ?? [];
  const resolved = destinations.map((d) => resolveDestination(scope, d.destination, namespace, resource));
  const single = singleDestination(rule);
  const hashPolicy = hashPoliciesFor(scope, resolved);
  const timeout = protoDuration(rule.timeout) ?? durationFromMs(0);
  const authority = rule.rewrite?.authority ?? options.authority;
  const regex = rule.rewrite?.uriRegexRewrite;
  return create(RouteActionSchema, {
    clusterSpecifier:
      single === undefined
        ? weightedClusters(resolved, rule)
        : { case: 'cluster', value: resolved[single]?.cluster ?? '' },
    timeout,
    maxGrpcTimeout: timeout,
    retryPolicy: retryPolicy(rule.retries, hashPolicy.length > 0),
    hashPolicy,
    requestMirrorPolicies: mirrorPolicies(scope, rule, namespace, resource),
    prefixRewrite: regex ? '' : (rule.rewrite?.uri ?? ''),
    regexRewrite: regex
      ? { pattern: { regex: regex.match ?? '' }, substitution: regex.rewrite ?? '' }
      : undefined,
    hostRewriteSpecifier:
      authority !== undefined ? { case: 'hostRewriteLiteral', value: authority } : { case: undefined },
  });
}
