// Client-side listeners for proxyless gRPC: one `api_listener` HttpConnectionManager per dialable name, with
// routes over RDS (ADS) and the only filters gRPC clients know: fault, then the router.
import { create } from '@bufbuild/protobuf';
import {
  HTTP_FILTERS,
  HttpConnectionManagerSchema,
  ListenerSchema,
  packAny,
  type Listener,
} from '@heddle/xds';
import { ApiVersion } from '@heddle/xds/gen/envoy/config/core/v3/config_source_pb.ts';
import { HTTPFaultSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/fault/v3/fault_pb.ts';
import { RouterSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/router/v3/router_pb.ts';
import { httpFilter } from '../listener/http-filters.ts';
import type { GrpcTarget } from './grpc-targets.ts';

/**
 * The fault filter is always present (empty) so that per-route faults apply: a gRPC client ignores a
 * route's override for a filter its HCM does not list. No idle_timeout: gRPC would make it every RPC's deadline.
 */
export function grpcListener(name: string, routeName: string): Listener {
  const hcm = create(HttpConnectionManagerSchema, {
    statPrefix: name,
    routeSpecifier: {
      case: 'rds',
      value: {
        routeConfigName: routeName,
        configSource: {
          configSourceSpecifier: { case: 'ads', value: {} },
          resourceApiVersion: ApiVersion.V3,
        },
      },
    },
    httpFilters: [
      httpFilter(HTTP_FILTERS.FAULT, packAny(HTTPFaultSchema, {})),
      httpFilter(HTTP_FILTERS.ROUTER, packAny(RouterSchema, {})),
    ],
  });
  return create(ListenerSchema, {
    name,
    apiListener: { apiListener: packAny(HttpConnectionManagerSchema, hcm) },
  });
}

export function buildGrpcListeners(targets: readonly GrpcTarget[]): Listener[] {
  return targets.flatMap((target) =>
    target.listenerNames.map((name) => grpcListener(name, target.routeName)),
  );
}
