// Routes Heddle writes itself: the default route of a service no VirtualService routes, and the catch-all
// routes for unknown hosts (pass through, or 502 under REGISTRY_ONLY).
import { create } from '@bufbuild/protobuf';
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import { outboundClusterName, PASSTHROUGH_CLUSTER } from '@heddle/xds';
import { RouteSchema, type Route } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { MeshService } from '../model/service.ts';
import { hashPoliciesFor } from './hash-policies.ts';
import { retryPolicy } from './retry-policy.ts';
import type { RouteScope } from './route-scope.ts';

export const DEFAULT_ROUTE_NAME = 'default';
export const ALLOW_ANY = 'allow_any';
export const BLOCK_ALL = 'block_all';

const matchAll = { pathSpecifier: { case: 'prefix' as const, value: '/' } };

/** Everything to the service's cluster on this port, with the mesh's default retries and no timeout. */
export function defaultServiceRoute(scope: RouteScope, service: MeshService): Route {
  const cluster = outboundClusterName(scope.port, '', service.hostname);
  const hashPolicy = hashPoliciesFor(scope, [
    { cluster, hostname: service.hostname, port: scope.port, subset: '' },
  ]);
  const timeout = durationFromMs(0);
  return create(RouteSchema, {
    name: DEFAULT_ROUTE_NAME,
    match: matchAll,
    action: {
      case: 'route',
      value: {
        clusterSpecifier: { case: 'cluster', value: cluster },
        timeout,
        maxGrpcTimeout: timeout,
        retryPolicy: retryPolicy(undefined, hashPolicy.length > 0),
        hashPolicy,
      },
    },
  });
}

/** ALLOW_ANY: hosts outside the registry go to their original destination. */
export function passthroughRoute(): Route {
  const timeout = durationFromMs(0);
  return create(RouteSchema, {
    name: ALLOW_ANY,
    match: matchAll,
    action: {
      case: 'route',
      value: {
        clusterSpecifier: { case: 'cluster', value: PASSTHROUGH_CLUSTER },
        timeout,
        maxGrpcTimeout: timeout,
      },
    },
  });
}

/** REGISTRY_ONLY: Istio answers 502 for hosts outside the registry (as its BlackHoleCluster would). */
export function blockRoute(): Route {
  return create(RouteSchema, {
    name: BLOCK_ALL,
    match: matchAll,
    action: { case: 'directResponse', value: { status: 502 } },
  });
}

/** Gateways answer 404 on a port where no VirtualService binds any host. */
export function notFoundRoute(): Route {
  return create(RouteSchema, {
    name: DEFAULT_ROUTE_NAME,
    match: matchAll,
    action: { case: 'directResponse', value: { status: 404 } },
  });
}
