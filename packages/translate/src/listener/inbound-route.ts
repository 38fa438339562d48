// The inline route configuration of an inbound HTTP chain: every request to the local workload's port.
import { create } from '@bufbuild/protobuf';
import { inboundClusterName } from '@heddle/xds';
import {
  RouteConfigurationSchema,
  type RouteConfiguration,
} from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import { durationFromMs } from './duration.ts';

/**
 * Timeouts are off (0s) as in Istio: the calling side's route owns the request timeout, and gRPC
 * deadlines are passed through rather than enforced twice.
 */
export function buildInboundRouteConfig(port: number): RouteConfiguration {
  const cluster = inboundClusterName(port);
  return create(RouteConfigurationSchema, {
    name: cluster,
    validateClusters: false,
    virtualHosts: [
      {
        name: `inbound|http|${port}`,
        domains: ['*'],
        routes: [
          {
            name: 'default',
            match: { pathSpecifier: { case: 'prefix', value: '/' } },
            action: {
              case: 'route',
              value: {
                clusterSpecifier: { case: 'cluster', value: cluster },
                timeout: durationFromMs(0),
                maxStreamDuration: {
                  maxStreamDuration: durationFromMs(0),
                  grpcTimeoutHeaderMax: durationFromMs(0),
                },
              },
            },
          },
        ],
      },
    ],
  });
}
