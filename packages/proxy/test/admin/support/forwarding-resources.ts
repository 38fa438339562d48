// xDS resources for a proxy that forwards everything on a 127.0.0.1 port-0 listener (HTTP/1.1 and h2c) to
// one static upstream: the cluster, the listener with an RDS-routed connection manager, and its routes.
import { create } from '@bufbuild/protobuf';
import {
  ClusterSchema,
  HTTP_FILTERS,
  HttpConnectionManagerSchema,
  ListenerSchema,
  NETWORK_FILTERS,
  packAny,
  RouteConfigurationSchema,
  RouterSchema,
} from '@heddle/xds';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';

export const FORWARD_CLUSTER = 'outbound|80||app.default.svc.cluster.local';

function socket(address: string, port: number) {
  return {
    address: {
      case: 'socketAddress' as const,
      value: { address, portSpecifier: { case: 'portValue' as const, value: port } },
    },
  };
}

export function forwardCluster(upstreamPort: number): Cluster {
  return create(ClusterSchema, {
    name: FORWARD_CLUSTER,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    connectTimeout: { seconds: 1n },
    loadAssignment: {
      clusterName: FORWARD_CLUSTER,
      endpoints: [
        {
          lbEndpoints: [
            { hostIdentifier: { case: 'endpoint', value: { address: socket('127.0.0.1', upstreamPort) } } },
          ],
        },
      ],
    },
  });
}

export function forwardListener(): Listener {
  return create(ListenerSchema, {
    name: '127.0.0.1_0',
    address: socket('127.0.0.1', 0),
    filterChains: [
      {
        filters: [
          {
            name: NETWORK_FILTERS.HTTP_CONNECTION_MANAGER,
            configType: {
              case: 'typedConfig',
              value: packAny(HttpConnectionManagerSchema, {
                statPrefix: 'inbound_0.0.0.0_80',
                routeSpecifier: {
                  case: 'rds',
                  value: {
                    routeConfigName: '80',
                    configSource: { configSourceSpecifier: { case: 'ads', value: {} } },
                  },
                },
                httpFilters: [
                  {
                    name: HTTP_FILTERS.ROUTER,
                    configType: { case: 'typedConfig', value: packAny(RouterSchema, {}) },
                  },
                ],
              }),
            },
          },
        ],
      },
    ],
  });
}

export function forwardRoutes(): RouteConfiguration {
  return create(RouteConfigurationSchema, {
    name: '80',
    virtualHosts: [
      {
        name: 'app',
        domains: ['*'],
        routes: [
          {
            match: { pathSpecifier: { case: 'prefix', value: '/' } },
            action: {
              case: 'route',
              value: {
                clusterSpecifier: { case: 'cluster', value: FORWARD_CLUSTER },
                timeout: { seconds: 0n },
              },
            },
          },
        ],
      },
    ],
  });
}
