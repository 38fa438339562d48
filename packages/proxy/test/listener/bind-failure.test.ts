// A listener whose address cannot be bound rejects its LDS update, as in Envoy: the NACK's error_detail names
// the listener, the address and the errno, `listener_manager.listener_create_failure` and
// `listener_manager.lds.update_rejected` count it, a log line says it, nothing of the update is applied (the
// listeners it did bind are released) and the listeners in force keep serving. On the first config the proxy
// does not become ready; pushing the listener again once the port is free binds it.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Message } from '@bufbuild/protobuf';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from '@heddle/xds';
import { LogRegistry } from '../../src/admin/logger.ts';
import type { Proxy } from '../../src/config/proxy-runtime.ts';
import { startProxy } from '../../src/proxy.ts';
import { parseBootstrap } from '../../src/xds/bootstrap.ts';
import { call } from '../admin/support/http.ts';
import { FakeAdsServer, type RecordedRequest } from '../xds/support/fake-ads.ts';
import { httpListener, prefixRoutes, staticCluster } from './helpers/hop-resources.ts';
import { connectTcp } from './helpers/net.ts';

async function listenOn(port = 0): Promise<TcpServer> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

async function freePort(): Promise<number> {
  const probe = await listenOn();
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const portOf = (server: TcpServer): number => (server.address() as AddressInfo).port;
const closeServer = (server: TcpServer | Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

/** Pushes a listener set; resolves with the proxy's ACK of that version, or with its next NACK. */
function push(ads: FakeAdsServer, resources: Message[], expect: 'ack' | 'nack'): Promise<RecordedRequest> {
  const nacksBefore = ads.nacks(LISTENER_TYPE_URL).length;
  const version = ads.setResources(LISTENER_TYPE_URL, resources);
  return ads.waitFor(
    (r) =>
      r.typeUrl === LISTENER_TYPE_URL &&
      (expect === 'ack'
        ? r.kind === 'ack' && r.versionInfo === version
        : r.kind === 'nack' && ads.nacks(LISTENER_TYPE_URL).indexOf(r) >= nacksBefore),
    10_000,
  );
}

describe('listeners that cannot bind', { timeout: 60_000 }, () => {
  let upstream: Server;
  let upstreamPort: number;

  before(async () => {
    upstream = createHttpServer((_req, res) => res.end('served'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamPort = (upstream.address() as AddressInfo).port;
  });

  after(() => closeServer(upstream));

  async function start(ads: FakeAdsServer, lines: string[]): Promise<Proxy> {
    const bootstrap = parseBootstrap({
      node: { id: 'sidecar~127.0.0.1~app.default~default.svc.cluster.local' },
      controlPlane: { addresses: [ads.address] },
      admin: { port: 0 },
      health: { port: 0 },
      drainTimeout: '1s',
    });
    return startProxy(bootstrap, { logs: new LogRegistry({ write: (line) => lines.push(line) }) });
  }

  function serve(ads: FakeAdsServer): void {
    ads.setResources(CLUSTER_TYPE_URL, [staticCluster('app', upstreamPort)]);
    ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [prefixRoutes('routes', [['/', 'app']])]);
  }

  const web = (name: string, port: number) =>
    httpListener(name, { port, routeConfigName: 'routes', statPrefix: name });

  it('rejects the update, names listener, address and errno, and keeps the listeners in force', async () => {
    const blocker = await listenOn();
    const taken = portOf(blocker);
    const [servingPort, freshPort] = [await freePort(), await freePort()];
    const ads = await FakeAdsServer.start();
    const lines: string[] = [];
    serve(ads);
    ads.setResources(LISTENER_TYPE_URL, [web('serving', servingPort)]);
    const proxy = await start(ads, lines);
    try {
      await proxy.ready;
      const nack = await push(
        ads,
        [web('serving', servingPort), web('clash', taken), web('fresh', freshPort)],
        'nack',
      );
      assert.equal(
        nack.errorDetail?.message,
        `listener clash: cannot bind 127.0.0.1:${taken}: EADDRINUSE (address already in use)`,
      );
      assert.equal(proxy.stats.counter('listener_manager.listener_create_failure').value, 1);
      assert.equal(proxy.stats.counter('listener_manager.lds.update_rejected').value, 1);
      assert.ok(
        lines.some(
          (line) =>
            line.includes('clash') && line.includes(`127.0.0.1:${taken}`) && line.includes('EADDRINUSE'),
        ),
        lines.join('\n'),
      );
      // Nothing of the update applied: the listener it did bind is released, the old one still serves.
      await assert.rejects(connectTcp(freshPort), /ECONNREFUSED/);
      assert.equal((await call(servingPort, '/')).body, 'served');
      assert.equal(proxy.state(), 'LIVE');
      const listeners = (await call(proxy.adminPort, '/listeners')).body;
      assert.doesNotMatch(listeners, /clash|fresh/);
      assert.equal(proxy.config.get(LISTENER_TYPE_URL).lastError?.details, nack.errorDetail?.message);

      // Once the port is free, pushing the listener again binds it.
      await closeServer(blocker);
      await push(ads, [web('serving', servingPort), web('clash', taken), web('fresh', freshPort)], 'ack');
      assert.equal((await call(taken, '/')).body, 'served');
      assert.equal((await call(freshPort, '/')).body, 'served');
    } finally {
      await proxy.close();
      await ads.close();
      if (blocker.listening) await closeServer(blocker);
    }
  });

  it('rejects a changed listener moving to a taken port, and the listener keeps serving where it was', async () => {
    const blocker = await listenOn();
    const servingPort = await freePort();
    const ads = await FakeAdsServer.start();
    serve(ads);
    ads.setResources(LISTENER_TYPE_URL, [web('moving', servingPort)]);
    const proxy = await start(ads, []);
    try {
      await proxy.ready;
      const nack = await push(ads, [web('moving', portOf(blocker))], 'nack');
      assert.match(
        nack.errorDetail?.message ?? '',
        /^listener moving: cannot bind 127\.0\.0\.1:\d+: EADDRINUSE/,
      );
      assert.equal((await call(servingPort, '/')).body, 'served');
    } finally {
      await proxy.close();
      await ads.close();
      await closeServer(blocker);
    }
  });

  it('does not become ready on a first config whose listener cannot bind', async () => {
    const blocker = await listenOn();
    const taken = portOf(blocker);
    const ads = await FakeAdsServer.start();
    serve(ads);
    ads.setResources(LISTENER_TYPE_URL, [web('first', taken)]);
    const proxy = await start(ads, []);
    let ready = false;
    void proxy.ready.then(() => (ready = true));
    try {
      const nack = await ads.waitFor((r) => r.typeUrl === LISTENER_TYPE_URL && r.kind === 'nack', 10_000);
      assert.match(
        nack.errorDetail?.message ?? '',
        new RegExp(`^listener first: cannot bind 127\\.0\\.0\\.1:${taken}: EADDRINUSE`),
      );
      assert.equal((await call(proxy.healthPort, '/healthz/ready')).status, 503);
      assert.equal((await call(proxy.adminPort, '/ready')).status, 503);
      assert.equal(proxy.state(), 'PRE_INITIALIZING');
      assert.equal(ready, false);

      await closeServer(blocker);
      await push(ads, [web('first', taken)], 'ack');
      await proxy.ready;
      assert.equal((await call(proxy.healthPort, '/healthz/ready')).status, 200);
      assert.equal((await call(taken, '/')).body, 'served');
    } finally {
      await proxy.close();
      await ads.close();
      if (blocker.listening) await closeServer(blocker);
    }
  });
});
