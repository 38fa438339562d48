// xDS resources for whole-proxy listener tests: static clusters (HTTP/1.1 or HTTP/2 upstream), listeners
// with an RDS-routed connection manager, and route configurations that send path prefixes to clusters.
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
import { Cluster_DiscoveryType, type Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import { ms } from './config.ts';

function socketAddress(address: string, port: number) {
  return {
    address: {
      case: 'socketAddress' as const,
      value: { address, portSpecifier: { case: 'portValue' as const, value: port } },
    },
  };
}

export interface ClusterOptions {
  readonly http2?: boolean;
  /** Changing it changes the cluster (and makes the proxy replace it). */
  readonly connectTimeoutMs?: number;
}

/** A STATIC cluster with one loopback endpoint. */
export function staticCluster(name: string, port: number, options: ClusterOptions = {}): Cluster {
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    connectTimeout: ms(options.connectTimeoutMs ?? 1000),
    ...(options.http2 ? { http2ProtocolOptions: {} } : {}),
    loadAssignment: {
      clusterName: name,
      endpoints: [
        {
          lbEndpoints: [
            { hostIdentifier: { case: 'endpoint', value: { address: socketAddress('127.0.0.1', port) } } },
          ],
        },
      ],
    },
  });
}

export interface HttpListenerOptions {
  readonly host?: string;
  readonly port: number;
  readonly routeConfigName: string;
  readonly statPrefix: string;
  /** The connection manager's `server_name`: changing it changes the filter chain (a listener update). */
  readonly serverName?: string;
}

/** A listener whose only chain is an HTTP connection manager (codec auto) reading routes over RDS. */
export function httpListener(name: string, options: HttpListenerOptions): Listener {
  return create(ListenerSchema, {
    name,
    address: socketAddress(options.host ?? '127.0.0.1', options.port),
    filterChains: [
      {
        filters: [
          {
            name: NETWORK_FILTERS.HTTP_CONNECTION_MANAGER,
            configType: {
              case: 'typedConfig',
              value: packAny(HttpConnectionManagerSchema, {
                statPrefix: options.statPrefix,
                ...(options.serverName !== undefined ? { serverName: options.serverName } : {}),
                routeSpecifier: {
                  case: 'rds',
                  value: {
                    routeConfigName: options.routeConfigName,
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

/**
 * Routes `prefix → cluster` in order (the first match wins); every response carries `x-route-version`, so a
 * route update is visible to clients.
 */
export function prefixRoutes(
  name: string,
  routes: readonly (readonly [prefix: string, cluster: string])[],
  version = 'v1',
): RouteConfiguration {
  return create(RouteConfigurationSchema, {
    name,
    responseHeadersToAdd: [{ header: { key: 'x-route-version', value: version } }],
    virtualHosts: [
      {
        name: 'all',
        domains: ['*'],
        routes: routes.map(([prefix, cluster]) => ({
          match: { pathSpecifier: { case: 'prefix' as const, value: prefix } },
          action: {
            case: 'route' as const,
            value: { clusterSpecifier: { case: 'cluster' as const, value: cluster }, timeout: ms(5000) },
          },
        })),
      },
    ],
  });
}
