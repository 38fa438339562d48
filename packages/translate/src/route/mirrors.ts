// Istio `mirror`/`mirrors` (traffic shadowing) as Envoy request mirror policies.
import { create } from '@bufbuild/protobuf';
import type { HTTPRoute, Percent } from '@heddle/api';
import {
  RouteAction_RequestMirrorPolicySchema,
  type RouteAction_RequestMirrorPolicy,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { resolveDestination } from './destination.ts';
import { runtimeFraction } from './percent.ts';
import type { RouteScope } from './route-scope.ts';

/** Unset mirrors everything; an explicit 0 mirrors nothing (Istio's reading of the legacy fields too). */
function mirrorShare(percentage: Percent | undefined, legacyPercent: number | undefined): number {
  if (percentage !== undefined) return percentage.value ?? 0;
  if (legacyPercent !== undefined) return legacyPercent;
  return 100;
}

export function mirrorPolicies(
  scope: RouteScope,
  rule: HTTPRoute,
  namespace: string,
  resource: string,
): RouteAction_RequestMirrorPolicy[] {
  const entries = rule.mirror
    ? [
        {
          destination: rule.mirror,
          share: mirrorShare(rule.mirrorPercentage, rule.mirrorPercent ?? rule.mirror_percent),
        },
      ]
    : (rule.mirrors ?? []).map((m) => ({
        destination: m.destination,
        share: mirrorShare(m.percentage, undefined),
      }));
  return entries
    .filter((entry) => entry.share > 0)
    .map((entry) =>
      create(RouteAction_RequestMirrorPolicySchema, {
        cluster: resolveDestination(scope, entry.destination, namespace, resource).cluster,
        runtimeFraction: runtimeFraction(entry.share),
        // Shadow requests must not double the sampled traces of the original.
        traceSampled: false,
      }),
    );
}
