// Consistent-hash keys of a DestinationRule as Envoy route hash policies; the route builder puts them on the
// routes to the destination, the cluster only picks the ring (RING_HASH or MAGLEV).
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type { ConsistentHashLB, LoadBalancerSettings } from '@heddle/api';
import {
  RouteAction_HashPolicySchema,
  type RouteAction_HashPolicy,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { protoDuration } from './proto-duration.ts';

type HashPolicyInit = MessageInitShape<typeof RouteAction_HashPolicySchema>;

/** Empty when the policy has no consistent hash, or a hash with no key (Envoy would then hash nothing). */
export function hashPolicyFor(
  policy: { readonly loadBalancer?: LoadBalancerSettings } | undefined,
): RouteAction_HashPolicy[] {
  const hash = policy?.loadBalancer?.consistentHash;
  const init = hash && hashPolicyInit(hash);
  return init ? [create(RouteAction_HashPolicySchema, init)] : [];
}

/** Istio allows exactly one key; should several be set, the first in Istio's field order wins. */
function hashPolicyInit(hash: ConsistentHashLB): HashPolicyInit | undefined {
  if (hash.httpHeaderName !== undefined) {
    return { policySpecifier: { case: 'header', value: { headerName: hash.httpHeaderName } } };
  }
  if (hash.httpCookie !== undefined) {
    const cookie = hash.httpCookie;
    return {
      policySpecifier: {
        case: 'cookie',
        value: {
          name: cookie.name,
          path: cookie.path ?? '',
          // Without a ttl Envoy never sets the cookie, it only hashes one the client already sends.
          ttl: protoDuration(cookie.ttl),
          attributes: (cookie.attributes ?? []).map((a) => ({ name: a.name, value: a.value ?? '' })),
        },
      },
    };
  }
  if (hash.useSourceIp === true) {
    return { policySpecifier: { case: 'connectionProperties', value: { sourceIp: true } } };
  }
  if (hash.httpQueryParameterName !== undefined) {
    return { policySpecifier: { case: 'queryParameter', value: { name: hash.httpQueryParameterName } } };
  }
  return undefined;
}
