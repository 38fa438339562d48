// Config pushes under steady keep-alive load, through two proxies in a row (a gateway whose pooled upstream
// connections go to a sidecar's inbound listener, which forwards to a real upstream): listener, route and
// cluster updates on either hop fail no request. A changed listener drains (HTTP/1.1 `Connection: close` on the
// next response, HTTP/2 GOAWAY), an unchanged one is not touched, and a changed cluster lets its old pool finish
// — so the gateway never sees a pooled connection reset under it (no 503 UR/UC).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Message } from '@bufbuild/protobuf';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from '@heddle/xds';
import { LogRegistry } from '../../src/admin/logger.ts';
import type { Proxy } from '../../src/config/proxy-runtime.ts';
import { startProxy } from '../../src/proxy.ts';
import { parseBootstrap } from '../../src/xds/bootstrap.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import { httpListener, prefixRoutes, staticCluster } from './helpers/hop-resources.ts';
import { KeepAliveLoad } from './helpers/keepalive-load.ts';

async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Pushes resources of one type and waits until the proxy ACKs that version. */
async function push(ads: FakeAdsServer, typeUrl: string, resources: Message[]): Promise<void> {
  const version = ads.setResources(typeUrl, resources);
  await ads.waitFor((r) => r.typeUrl === typeUrl && r.kind === 'ack' && r.versionInfo === version, 10_000);
}

async function proxyFor(ads: FakeAdsServer, id: string): Promise<Proxy> {
  const bootstrap = parseBootstrap({
    node: { id },
    controlPlane: { addresses: [ads.address] },
    admin: { port: 0 },
    health: { port: 0 },
    drainTimeout: '4s',
  });
  const proxy = await startProxy(bootstrap, { logs: new LogRegistry({ write: () => {} }) });
  await proxy.ready;
  return proxy;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('config updates under keep-alive load', { timeout: 90_000 }, () => {
  let upstream: Server;
  const upstreamSockets = new Set<Socket>();
  let gatewayAds: FakeAdsServer;
  let sidecarAds: FakeAdsServer;
  let gateway: Proxy;
  let sidecar: Proxy;
  let gatewayPort: number;
  let sidecarPort: number;
  let extraPort: number;
  let upstreamPort: number;

  const sidecarListener = (serverName: string) =>
    httpListener('inbound', {
      port: sidecarPort,
      routeConfigName: 'inbound',
      statPrefix: 'inbound',
      serverName,
    });
  const gatewayListener = (serverName: string) =>
    httpListener('gateway', {
      port: gatewayPort,
      routeConfigName: 'gateway',
      statPrefix: 'gateway',
      serverName,
    });
  const gatewayClusters = (connectTimeoutMs: number) => [
    staticCluster('hop-h1', sidecarPort, { connectTimeoutMs }),
    staticCluster('hop-h2', sidecarPort, { connectTimeoutMs, http2: true }),
  ];
  const gatewayRoutes = (version: string) =>
    prefixRoutes(
      'gateway',
      [
        ['/h2', 'hop-h2'],
        ['/', 'hop-h1'],
      ],
      version,
    );

  before(async () => {
    upstream = createServer((req, res) => {
      // A little work per request keeps several requests in flight on every hop during each push.
      setTimeout(() => res.end(`ok ${req.url}`), 2);
    });
    upstream.on('connection', (socket: Socket) => {
      upstreamSockets.add(socket);
      socket.on('close', () => upstreamSockets.delete(socket));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamPort = (upstream.address() as AddressInfo).port;
    [gatewayPort, sidecarPort, extraPort] = [await freePort(), await freePort(), await freePort()];

    sidecarAds = await FakeAdsServer.start();
    sidecarAds.setResources(CLUSTER_TYPE_URL, [staticCluster('app', upstreamPort)]);
    sidecarAds.setResources(LISTENER_TYPE_URL, [sidecarListener('sidecar-v1')]);
    sidecarAds.setResources(ROUTE_CONFIGURATION_TYPE_URL, [prefixRoutes('inbound', [['/', 'app']])]);
    sidecar = await proxyFor(sidecarAds, 'sidecar~127.0.0.1~app.default~default.svc.cluster.local');

    gatewayAds = await FakeAdsServer.start();
    gatewayAds.setResources(CLUSTER_TYPE_URL, gatewayClusters(1000));
    gatewayAds.setResources(LISTENER_TYPE_URL, [gatewayListener('gateway-v1')]);
    gatewayAds.setResources(ROUTE_CONFIGURATION_TYPE_URL, [gatewayRoutes('gw-v1')]);
    gateway = await proxyFor(
      gatewayAds,
      'router~127.0.0.1~gateway.istio-system~istio-system.svc.cluster.local',
    );
  });

  after(async () => {
    await Promise.all([gateway?.close(), sidecar?.close()]);
    await Promise.all([gatewayAds?.close(), sidecarAds?.close()]);
    for (const socket of upstreamSockets) socket.destroy();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('fails no request while listeners, routes and clusters change on both hops', async () => {
    const load = new KeepAliveLoad({
      url: `http://127.0.0.1:${gatewayPort}`,
      http1Clients: 4,
      http2Lanes: 3,
      http1Prefix: '/h1',
      http2Prefix: '/h2',
    });
    const direct = new KeepAliveLoad({
      url: `http://127.0.0.1:${sidecarPort}`,
      http1Clients: 2,
      http2Lanes: 2,
      http1Prefix: '/direct-h1',
      http2Prefix: '/direct-h2',
    });
    const failedSteps: string[] = [];
    load.start();
    direct.start();
    try {
      await Promise.all([load.completeMore(100), direct.completeMore(50)]);
      const steps: [string, () => Promise<void>][] = [
        [
          'sidecar listener changes',
          () => push(sidecarAds, LISTENER_TYPE_URL, [sidecarListener('sidecar-v2')]),
        ],
        [
          'sidecar routes change',
          () =>
            push(sidecarAds, ROUTE_CONFIGURATION_TYPE_URL, [prefixRoutes('inbound', [['/', 'app']], 'v2')]),
        ],
        [
          'sidecar cluster changes',
          () =>
            push(sidecarAds, CLUSTER_TYPE_URL, [
              staticCluster('app', upstreamPort, { connectTimeoutMs: 2000 }),
            ]),
        ],
        [
          'sidecar gets a new listener',
          () =>
            push(sidecarAds, LISTENER_TYPE_URL, [
              sidecarListener('sidecar-v2'),
              httpListener('extra', { port: extraPort, routeConfigName: 'inbound', statPrefix: 'extra' }),
            ]),
        ],
        [
          'gateway listener changes',
          () => push(gatewayAds, LISTENER_TYPE_URL, [gatewayListener('gateway-v2')]),
        ],
        [
          'gateway routes change',
          () => push(gatewayAds, ROUTE_CONFIGURATION_TYPE_URL, [gatewayRoutes('gw-v2')]),
        ],
        ['gateway clusters change', () => push(gatewayAds, CLUSTER_TYPE_URL, gatewayClusters(2000))],
        [
          'sidecar listener changes and the new one goes',
          () => push(sidecarAds, LISTENER_TYPE_URL, [sidecarListener('sidecar-v3')]),
        ],
        [
          'both hops change at once',
          async () => {
            await Promise.all([
              push(gatewayAds, LISTENER_TYPE_URL, [gatewayListener('gateway-v3')]),
              push(sidecarAds, LISTENER_TYPE_URL, [sidecarListener('sidecar-v4')]),
              push(sidecarAds, CLUSTER_TYPE_URL, [
                staticCluster('app', upstreamPort, { connectTimeoutMs: 3000 }),
              ]),
            ]);
          },
        ],
      ];
      for (const [name, step] of steps) {
        const before = load.failures.length + direct.failures.length;
        await step();
        await Promise.all([load.completeMore(60), direct.completeMore(30)]);
        const failed = load.failures.length + direct.failures.length - before;
        if (failed > 0) failedSteps.push(`${name}: ${failed}`);
        await sleep(50);
      }
      await Promise.all([load.completeMore(100), direct.completeMore(50)]);
    } finally {
      await Promise.all([load.stop(), direct.stop()]);
    }

    const failures = [...load.failures, ...direct.failures];
    assert.deepEqual(failures.slice(0, 5), [], `failed requests after ${failedSteps.join(', ')}`);
    const gatewayStats = (name: string): number => gateway.stats.counter(name).value;
    const sidecarStats = (name: string): number => sidecar.stats.counter(name).value;
    assert.equal(gatewayStats('http.gateway.downstream_rq_5xx'), 0, 'the gateway answered 503 (UR/UC)');
    for (const cluster of ['hop-h1', 'hop-h2'])
      assert.equal(gatewayStats(`cluster.${cluster}.upstream_rq_rx_reset`), 0, `${cluster} saw resets`);
    assert.equal(sidecarStats('http.inbound.downstream_rq_5xx'), 0);
    // The updates did reach the clients: route versions moved and the changed listeners drained.
    const versions = new Set(load.outcomes.map((o) => o.routeVersion));
    assert.ok(versions.has('v1,gw-v1') && versions.has('v2,gw-v2'), [...versions].join(' '));
    assert.ok(direct.outcomes.some((o) => o.routeVersion === 'v2'));
    assert.ok(sidecarStats('http.inbound.downstream_cx_drain_close') > 0, 'the sidecar drained connections');
    assert.ok(gatewayStats('http.gateway.downstream_cx_drain_close') > 0, 'the gateway drained connections');
    assert.ok(load.sessionsOpened > 1, 'HTTP/2 clients moved to a new session after GOAWAY');
    // Changed listeners kept their sockets and swapped chains; the unchanged one (pushed again beside the new
    // listener) was not touched; clusters were replaced only when they changed.
    assert.equal(sidecarStats('listener_manager.listener_in_place_updated'), 3);
    assert.equal(sidecarStats('listener_manager.listener_added'), 2);
    assert.equal(sidecarStats('listener_manager.listener_removed'), 1);
    assert.equal(gatewayStats('listener_manager.listener_in_place_updated'), 2);
    assert.equal(sidecarStats('cluster_manager.cluster_modified'), 2);
    assert.equal(gatewayStats('cluster_manager.cluster_modified'), 2);
    assert.equal(sidecarStats('listener_manager.listener_create_failure'), 0);
    assert.equal(sidecarStats('listener_manager.lds.update_rejected'), 0);
  });
});
