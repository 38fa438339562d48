// A real proxy configured by a fake control plane for the security filter tests: one listener (plaintext or
// TLS with optional client certificates) whose HTTP connection manager runs the given filters in front of
// the router, a cluster to a loopback echo server that reports what it received, and helpers to read stats.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import {
  CLUSTER_TYPE_URL,
  ClusterSchema,
  HTTP_FILTERS,
  HttpConnectionManagerSchema,
  LISTENER_TYPE_URL,
  ListenerSchema,
  NETWORK_FILTERS,
  packAny,
  ROUTE_CONFIGURATION_TYPE_URL,
  RouteConfigurationSchema,
  RouterSchema,
  TcpProxySchema,
  TRANSPORT_SOCKETS,
} from '@heddle/xds';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { RouteSchema } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { DownstreamTlsContextSchema } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { createServer, type Server } from 'node:http';
import { LogRegistry } from '../../../src/admin/logger.ts';
import type { Proxy } from '../../../src/config/proxy-runtime.ts';
import { startProxy } from '../../../src/proxy.ts';
import { parseBootstrap } from '../../../src/xds/bootstrap.ts';
import { call } from '../../admin/support/http.ts';
import { FakeAdsServer } from '../../xds/support/fake-ads.ts';
import type { KeyPair } from '../../listener/helpers/certs.ts';

export const ECHO_CLUSTER = 'inbound|8080||';
export const STAT_PREFIX = 'inbound_0.0.0.0_8080';

export type HttpFilterInit = NonNullable<
  MessageInitShape<typeof HttpConnectionManagerSchema>['httpFilters']
>[number];
export type RouteInit = MessageInitShape<typeof RouteSchema>;

/** What the echo upstream saw of a request. */
export interface Echo {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

export function httpFilter(name: string, config: Any): HttpFilterInit {
  return { name, configType: { case: 'typedConfig', value: config } };
}

function socketAddress(address: string, port: number) {
  return {
    address: {
      case: 'socketAddress' as const,
      value: { address, portSpecifier: { case: 'portValue' as const, value: port } },
    },
  };
}

export function staticCluster(name: string, port: number) {
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    connectTimeout: { seconds: 1n },
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

/** One route to the echo cluster for every path. */
export function defaultRoutes(): RouteInit[] {
  return [
    {
      name: 'default',
      match: { pathSpecifier: { case: 'prefix', value: '/' } },
      action: { case: 'route', value: { clusterSpecifier: { case: 'cluster', value: ECHO_CLUSTER } } },
    },
  ];
}

export interface TlsOptions {
  readonly server: KeyPair;
  readonly ca: string;
  readonly requireClientCertificate: boolean;
}

export interface SecuredProxyOptions {
  /** HTTP filters before the router. */
  readonly httpFilters?: readonly HttpFilterInit[];
  readonly routes?: RouteInit[];
  readonly tls?: TlsOptions;
  /** A TCP listener instead: these network filters, then tcp_proxy to the echo server. */
  readonly tcpFilters?: readonly { readonly name: string; readonly config: Any }[];
  readonly extraClusters?: readonly ReturnType<typeof staticCluster>[];
  /** HCM fields (e.g. path normalization options). */
  readonly hcm?: Record<string, unknown>;
}

export interface SecuredProxy {
  readonly port: number;
  readonly url: string;
  readonly ads: FakeAdsServer;
  readonly proxy: Proxy;
  readonly echoPort: number;
  /** The value of a counter in /stats, 0 when absent. */
  stat(name: string): Promise<number>;
  close(): Promise<void>;
}

function transportSocket(tls: TlsOptions) {
  return {
    name: TRANSPORT_SOCKETS.TLS,
    configType: {
      case: 'typedConfig' as const,
      value: packAny(DownstreamTlsContextSchema, {
        requireClientCertificate: tls.requireClientCertificate,
        commonTlsContext: {
          tlsCertificates: [
            {
              certificateChain: { specifier: { case: 'inlineString', value: tls.server.cert } },
              privateKey: { specifier: { case: 'inlineString', value: tls.server.key } },
            },
          ],
          validationContextType: {
            case: 'validationContext',
            value: { trustedCa: { specifier: { case: 'inlineString', value: tls.ca } } },
          },
        },
      }),
    },
  };
}

export function listenerFor(options: SecuredProxyOptions) {
  const filters = options.tcpFilters
    ? [
        ...options.tcpFilters.map((f) => ({
          name: f.name,
          configType: { case: 'typedConfig' as const, value: f.config },
        })),
        {
          name: NETWORK_FILTERS.TCP_PROXY,
          configType: {
            case: 'typedConfig' as const,
            value: packAny(TcpProxySchema, {
              statPrefix: 'tcp',
              clusterSpecifier: { case: 'cluster', value: ECHO_CLUSTER },
            }),
          },
        },
      ]
    : [
        {
          name: NETWORK_FILTERS.HTTP_CONNECTION_MANAGER,
          configType: {
            case: 'typedConfig' as const,
            value: packAny(HttpConnectionManagerSchema, {
              statPrefix: STAT_PREFIX,
              normalizePath: true,
              routeSpecifier: {
                case: 'rds',
                value: {
                  routeConfigName: '8080',
                  configSource: { configSourceSpecifier: { case: 'ads', value: {} } },
                },
              },
              httpFilters: [
                ...(options.httpFilters ?? []),
                httpFilter(HTTP_FILTERS.ROUTER, packAny(RouterSchema, {})),
              ],
              ...options.hcm,
            }),
          },
        },
      ];
  return create(ListenerSchema, {
    name: 'inbound_test',
    address: socketAddress('127.0.0.1', 0),
    filterChains: [{ filters, ...(options.tls ? { transportSocket: transportSocket(options.tls) } : {}) }],
  });
}

/** An HTTP server answering every request with a JSON echo; on raw TCP it echoes bytes back. */
async function startEcho(tcp: boolean): Promise<{ port: number; close(): Promise<void> }> {
  let server: Server | NetServer;
  if (tcp) {
    server = createNetServer((socket) => socket.pipe(socket));
  } else {
    server = createServer((request, response) => {
      const echo: Echo = { method: request.method ?? '', url: request.url ?? '', headers: request.headers };
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(echo));
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function listenerPort(adminPort: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const body = (await call(adminPort, '/listeners')).body;
    const port = Number(/^inbound_test::127\.0\.0\.1:(\d+)$/m.exec(body)?.[1]);
    if (port > 0) return port;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the listener did not come up');
}

export async function startSecuredProxy(options: SecuredProxyOptions): Promise<SecuredProxy> {
  const echo = await startEcho(options.tcpFilters !== undefined);
  const ads = await FakeAdsServer.start();
  ads.setResources(CLUSTER_TYPE_URL, [
    staticCluster(ECHO_CLUSTER, echo.port),
    ...(options.extraClusters ?? []),
  ]);
  ads.setResources(LISTENER_TYPE_URL, [listenerFor(options)]);
  ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [
    create(RouteConfigurationSchema, {
      name: '8080',
      virtualHosts: [{ name: 'inbound', domains: ['*'], routes: options.routes ?? defaultRoutes() }],
    }),
  ]);
  const bootstrap = parseBootstrap({
    node: { id: 'sidecar~127.0.0.1~product.default~default.svc.cluster.local' },
    controlPlane: { addresses: [ads.address] },
    admin: { port: 0 },
    health: { port: 0 },
    drainTimeout: '1s',
  });
  const proxy = await startProxy(bootstrap, { logs: new LogRegistry({ write: () => {} }) });
  // A refused config would leave the proxy waiting for a good one: fail fast with the NACK's reason.
  let ready = false;
  const nack = (async () => {
    while (!ready) {
      const refused = ads.nacks()[0];
      if (refused) throw new Error(`config refused: ${refused.errorDetail?.message ?? ''}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    await Promise.race([proxy.ready, nack]);
    ready = true;
  } catch (err) {
    ready = true;
    await proxy.close();
    await ads.close();
    await echo.close();
    throw err;
  }
  const port = await listenerPort(proxy.adminPort);
  return {
    port,
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    ads,
    proxy,
    echoPort: echo.port,
    async stat(name) {
      const body = (await call(proxy.adminPort, '/stats')).body;
      const line = body.split('\n').find((l) => l.startsWith(`${name}: `));
      return line ? Number(line.slice(name.length + 2)) : 0;
    },
    async close() {
      await proxy.close();
      await ads.close();
      await echo.close();
    },
  };
}
