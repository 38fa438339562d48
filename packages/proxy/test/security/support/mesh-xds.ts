// The xDS a control plane would send two sidecars talking Istio mutual TLS, built by hand: the server's
// inbound listener per PeerAuthentication mode, the client's outbound listener, and its ISTIO_MUTUAL cluster.
import { create, type Message } from '@bufbuild/protobuf';
import {
  CLUSTER_TYPE_URL,
  ClusterSchema,
  DownstreamTlsContextSchema,
  HTTP_FILTERS,
  HttpConnectionManagerSchema,
  LISTENER_FILTERS,
  LISTENER_TYPE_URL,
  ListenerSchema,
  NETWORK_FILTERS,
  packAny,
  ROUTE_CONFIGURATION_TYPE_URL,
  RouteConfigurationSchema,
  RouterSchema,
  SECRET_TYPE_URL,
  SecretSchema,
  UpstreamTlsContextSchema,
} from '@heddle/xds';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { HttpConnectionManager_ForwardClientCertDetails as Xfcc } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { TlsInspectorSchema } from '@heddle/xds/gen/envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector_pb.ts';
import type { FakeAdsServer } from '../../xds/support/fake-ads.ts';

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

const ads = { configSourceSpecifier: { case: 'ads' as const, value: {} } };
const sds = (name: string) => ({ name, sdsConfig: ads });

function socket(address: string, port: number) {
  return {
    address: {
      case: 'socketAddress' as const,
      value: { address, portSpecifier: { case: 'portValue' as const, value: port } },
    },
  };
}

function routeConfig(name: string, cluster: string) {
  return {
    name,
    virtualHosts: [
      {
        name: 'all',
        domains: ['*'],
        routes: [
          {
            match: { pathSpecifier: { case: 'prefix' as const, value: '/' } },
            action: {
              case: 'route' as const,
              value: { clusterSpecifier: { case: 'cluster' as const, value: cluster } },
            },
          },
        ],
      },
    ],
  };
}

/** The server's inbound route configuration, for listeners served with `rds`. */
export function serveInboundRoutes(ads: FakeAdsServer): void {
  ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [
    create(RouteConfigurationSchema, routeConfig('inbound_8080', INBOUND_CLUSTER)),
  ]);
}

function hcm(statPrefix: string, cluster: string, rds = false) {
  return {
    name: NETWORK_FILTERS.HTTP_CONNECTION_MANAGER,
    configType: {
      case: 'typedConfig' as const,
      value: packAny(HttpConnectionManagerSchema, {
        statPrefix,
        // Istio's inbound setting: the verified peer identity reaches the application in XFCC.
        forwardClientCertDetails: Xfcc.SANITIZE_SET,
        setCurrentClientCertDetails: { uri: true },
        routeSpecifier: rds
          ? {
              case: 'rds',
              value: {
                routeConfigName: statPrefix,
                configSource: { configSourceSpecifier: { case: 'ads', value: {} } },
              },
            }
          : { case: 'routeConfig', value: routeConfig(statPrefix, cluster) },
        httpFilters: [
          {
            name: HTTP_FILTERS.ROUTER,
            configType: { case: 'typedConfig', value: packAny(RouterSchema, {}) },
          },
        ],
      }),
    },
  };
}

function staticCluster(name: string, port: number, transportSocket?: Message, maxRequestsPerConnection = 0) {
  return create(ClusterSchema, {
    name,
    ...(maxRequestsPerConnection > 0 ? { maxRequestsPerConnection } : {}),
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    connectTimeout: { seconds: 1n },
    loadAssignment: {
      clusterName: name,
      endpoints: [
        {
          lbEndpoints: [
            { hostIdentifier: { case: 'endpoint', value: { address: socket('127.0.0.1', port) } } },
          ],
        },
      ],
    },
    ...(transportSocket ? { transportSocket: transportSocket as never } : {}),
  });
}

/** Istio's inbound DownstreamTlsContext: workload certificate and mesh roots over SDS, client certs required. */
function inboundMtls() {
  return {
    name: 'envoy.transport_sockets.tls',
    configType: {
      case: 'typedConfig' as const,
      value: packAny(DownstreamTlsContextSchema, {
        requireClientCertificate: true,
        commonTlsContext: {
          tlsCertificateSdsSecretConfigs: [sds('default')],
          validationContextType: {
            case: 'combinedValidationContext',
            value: { defaultValidationContext: {}, validationContextSdsSecretConfig: sds('ROOTCA') },
          },
          alpnProtocols: ['h2', 'http/1.1', 'istio-peer-exchange', 'istio'],
        },
      }),
    },
  };
}

export const INBOUND_CLUSTER = 'inbound|8080||';
export const OUTBOUND_CLUSTER = 'outbound|8080||b.default.svc.cluster.local';

/** The server sidecar: its inbound listener in `mode`, and the cluster to the local application. */
export function serveInbound(
  ads: FakeAdsServer,
  mode: MtlsMode,
  appPort: number,
  /** Routes over RDS: the listener then warms until `serveInboundRoutes`. */
  rds = false,
): void {
  ads.setResources(CLUSTER_TYPE_URL, [staticCluster(INBOUND_CLUSTER, appPort)]);
  const mtlsChain = {
    name: `${INBOUND_CLUSTER}-mtls`,
    filters: [hcm('inbound_8080', INBOUND_CLUSTER, rds)],
    transportSocket: inboundMtls(),
  };
  const plainChain = { name: INBOUND_CLUSTER, filters: [hcm('inbound_8080', INBOUND_CLUSTER, rds)] };
  const chains =
    mode === 'STRICT'
      ? [mtlsChain]
      : mode === 'DISABLE'
        ? [plainChain]
        : [
            { ...mtlsChain, filterChainMatch: { transportProtocol: 'tls' } },
            { ...plainChain, filterChainMatch: { transportProtocol: 'raw_buffer' } },
          ];
  ads.setResources(LISTENER_TYPE_URL, [
    create(ListenerSchema, {
      name: 'inbound_8080',
      address: socket('127.0.0.1', 0),
      filterChains: chains,
      ...(mode === 'PERMISSIVE'
        ? {
            listenerFilters: [
              {
                name: LISTENER_FILTERS.TLS_INSPECTOR,
                configType: { case: 'typedConfig', value: packAny(TlsInspectorSchema, {}) },
              },
            ],
          }
        : {}),
    }),
  ]);
}

/** The client sidecar: a plaintext outbound listener and an ISTIO_MUTUAL cluster to the server's inbound port. */
export function serveOutbound(
  ads: FakeAdsServer,
  serverPort: number,
  serverIdentity: string,
  /** 1: every request opens a new connection, so each one is a fresh handshake. */
  maxRequestsPerConnection = 0,
): void {
  const tls = {
    name: 'envoy.transport_sockets.tls',
    configType: {
      case: 'typedConfig' as const,
      value: packAny(UpstreamTlsContextSchema, {
        sni: 'outbound_.8080_._.b.default.svc.cluster.local',
        commonTlsContext: {
          tlsCertificateSdsSecretConfigs: [sds('default')],
          validationContextType: {
            case: 'combinedValidationContext',
            value: {
              defaultValidationContext: {
                matchSubjectAltNames: [{ matchPattern: { case: 'exact', value: serverIdentity } }],
              },
              validationContextSdsSecretConfig: sds('ROOTCA'),
            },
          },
          alpnProtocols: ['istio-peer-exchange', 'istio'],
        },
      }),
    },
  };
  ads.setResources(CLUSTER_TYPE_URL, [
    staticCluster(OUTBOUND_CLUSTER, serverPort, tls as never, maxRequestsPerConnection),
  ]);
  ads.setResources(LISTENER_TYPE_URL, [
    create(ListenerSchema, {
      name: 'outbound_8080',
      address: socket('127.0.0.1', 0),
      filterChains: [{ filters: [hcm('outbound_8080', OUTBOUND_CLUSTER)] }],
    }),
  ]);
}

/** `ROOTCA` as the control plane sends it: the trust bundle (one root, or two during a rotation). */
export function serveRoots(ads: FakeAdsServer, roots: readonly string[]): void {
  ads.setResources(SECRET_TYPE_URL, [
    create(SecretSchema, {
      name: 'ROOTCA',
      type: {
        case: 'validationContext',
        value: { trustedCa: { specifier: { case: 'inlineString', value: roots.join('') } } },
      },
    }),
  ]);
}
