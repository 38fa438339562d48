// The consistent-hash policy a route carries for its destinations, from the DestinationRule the cluster uses.
import type { RouteAction_HashPolicy } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { hashPolicyFor } from '../cluster/hash-policy.ts';
import { effectivePolicy } from '../cluster/traffic-policy.ts';
import type { ResolvedDestination } from './destination.ts';
import type { RouteScope } from './route-scope.ts';

/**
 * The policy is taken from the same merged DestinationRule policy (rule, port, subset) the cluster is built
 * from, so a route hashes exactly when its cluster is a hash ring. With several destinations the first one
 * that hashes decides: Envoy computes one hash per request.
 */
export function hashPoliciesFor(
  scope: RouteScope,
  destinations: readonly ResolvedDestination[],
): RouteAction_HashPolicy[] {
  for (const destination of destinations) {
    const rule = scope.ctx.index.destinationRuleFor(destination.hostname, scope.ctx.node.namespace);
    if (!rule) continue;
    const policies = hashPolicyFor(effectivePolicy(rule.spec, destination.port, destination.subset));
    if (policies.length > 0) return policies;
  }
  return [];
}
