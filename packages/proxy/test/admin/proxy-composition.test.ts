// startProxy end to end: a control plane (the fake ADS server) configures a listener, routes and a cluster,
// a real client's request goes through the proxy to a loopback upstream, and the admin API shows it all.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
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
} from '@heddle/xds';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { LogRegistry } from '../../src/admin/logger.ts';
import type { Proxy } from '../../src/config/proxy-runtime.ts';
import { startProxy } from '../../src/proxy.ts';
import { parseBootstrap } from '../../src/xds/bootstrap.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import { call } from './support/http.ts';

const CLUSTER = 'outbound|80||echo.default.svc.cluster.local';

function socket(address: string, port: number) {
  return {
    address: {
      case: 'socketAddress' as const,
      value: { address, portSpecifier: { case: 'portValue' as const, value: port } },
    },
  };
}

describe('startProxy', { timeout: 20_000 }, () => {
  let upstream: Server;
  let server: FakeAdsServer;
  let proxy: Proxy;

  before(async () => {
    upstream = createServer((request, response) => {
      response.setHeader('x-upstream', 'echo');
      response.end(`echo ${request.method} ${request.url}`);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamPort = (upstream.address() as AddressInfo).port;
    server = await FakeAdsServer.start();
    server.setResources(CLUSTER_TYPE_URL, [
      create(ClusterSchema, {
        name: CLUSTER,
        clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
        connectTimeout: { seconds: 1n },
        loadAssignment: {
          clusterName: CLUSTER,
          endpoints: [
            {
              lbEndpoints: [
                {
                  hostIdentifier: { case: 'endpoint', value: { address: socket('127.0.0.1', upstreamPort) } },
                },
              ],
            },
          ],
        },
      }),
    ]);
    server.setResources(LISTENER_TYPE_URL, [
      create(ListenerSchema, {
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
                    statPrefix: 'outbound_0.0.0.0_80',
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
      }),
    ]);
    server.setResources(ROUTE_CONFIGURATION_TYPE_URL, [
      create(RouteConfigurationSchema, {
        name: '80',
        virtualHosts: [
          {
            name: 'echo',
            domains: ['*'],
            routes: [
              {
                match: { pathSpecifier: { case: 'prefix', value: '/' } },
                action: { case: 'route', value: { clusterSpecifier: { case: 'cluster', value: CLUSTER } } },
              },
            ],
          },
        ],
      }),
    ]);
    const bootstrap = parseBootstrap({
      node: { id: 'sidecar~127.0.0.1~product.default~default.svc.cluster.local' },
      controlPlane: { addresses: [server.address] },
      admin: { port: 0 },
      health: { port: 0 },
      drainTimeout: '1s',
    });
    proxy = await startProxy(bootstrap, { logs: new LogRegistry({ write: () => {} }) });
    await proxy.ready;
  });

  after(async () => {
    await proxy.close();
    await server.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('forwards a request through the configured listener, route and cluster', async () => {
    const listeners = (await call(proxy.adminPort, '/listeners')).body;
    const port = Number(/^127\.0\.0\.1_0::127\.0\.0\.1:(\d+)$/m.exec(listeners)?.[1]);
    assert.ok(port > 0, listeners);
    const reply = await call(port, '/hello?x=1');
    assert.equal(reply.status, 200);
    assert.equal(reply.body, 'echo GET /hello?x=1');
    assert.equal(reply.headers['x-upstream'], 'echo');
  });

  it('shows the cluster, its host and the request in /clusters and /stats/prometheus', async () => {
    const clusters = (await call(proxy.adminPort, '/clusters')).body.split('\n');
    assert.ok(clusters.includes(`${CLUSTER}::added_via_api::true`));
    assert.ok(
      clusters.some((line) => /::127\.0\.0\.1:\d+::rq_total::1$/.test(line)),
      clusters.join('\n'),
    );
    const prometheus = (await call(proxy.adminPort, '/stats/prometheus')).body;
    assert.match(
      prometheus,
      new RegExp(
        `^envoy_cluster_upstream_rq_total\\{envoy_cluster_name="${CLUSTER.replace(/\|/g, '\\|')}"\\} 1$`,
        'm',
      ),
    );
    assert.match(prometheus, /^envoy_server_live 1$/m);
  });
});
