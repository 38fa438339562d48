// Small xDS resources for client tests: static and EDS clusters, endpoints, listeners using RDS, routes.
import { create } from '@bufbuild/protobuf';
import {
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  HttpConnectionManagerSchema,
  ListenerSchema,
  NETWORK_FILTERS,
  packAny,
  RouteConfigurationSchema,
  type Cluster,
  type ClusterLoadAssignment,
  type Listener,
  type Node,
  type RouteConfiguration,
  NodeSchema,
} from '@heddle/xds';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';

export function staticCluster(name: string): Cluster {
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
  });
}

export function edsCluster(name: string, serviceName = ''): Cluster {
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS },
    edsClusterConfig: { serviceName, edsConfig: { configSourceSpecifier: { case: 'ads', value: {} } } },
  });
}

export function endpoints(clusterName: string, port = 8080): ClusterLoadAssignment {
  return create(ClusterLoadAssignmentSchema, {
    clusterName,
    endpoints: [
      {
        lbEndpoints: [
          {
            hostIdentifier: {
              case: 'endpoint',
              value: {
                address: {
                  address: {
                    case: 'socketAddress',
                    value: { address: '127.0.0.1', portSpecifier: { case: 'portValue', value: port } },
                  },
                },
              },
            },
          },
        ],
      },
    ],
  });
}

export function rdsListener(name: string, routeConfigName: string): Listener {
  return create(ListenerSchema, {
    name,
    filterChains: [
      {
        filters: [
          {
            name: NETWORK_FILTERS.HTTP_CONNECTION_MANAGER,
            configType: {
              case: 'typedConfig',
              value: packAny(HttpConnectionManagerSchema, {
                statPrefix: name,
                routeSpecifier: {
                  case: 'rds',
                  value: {
                    routeConfigName,
                    configSource: { configSourceSpecifier: { case: 'ads', value: {} } },
                  },
                },
              }),
            },
          },
        ],
      },
    ],
  });
}

export function plainListener(name: string): Listener {
  return create(ListenerSchema, { name });
}

export function routeConfig(name: string): RouteConfiguration {
  return create(RouteConfigurationSchema, { name, virtualHosts: [{ name: 'all', domains: ['*'] }] });
}

export const TEST_NODE: Node = create(NodeSchema, {
  id: 'sidecar~127.0.0.1~product.default~default.svc.cluster.local',
  cluster: 'product.default',
  metadata: { NAMESPACE: 'default' },
});

/** Waits until `check` holds, polling every 10 ms, failing after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
