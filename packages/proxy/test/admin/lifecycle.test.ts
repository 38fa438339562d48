// The proxy lifecycle: /quitquitquit and shutdown fail readiness at once, drain the listeners, and close
// when they are idle or at the drain deadline; a busy admin port is a clear startup error.
import assert from 'node:assert/strict';
import { connect as tcpConnect, createServer, type Server } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL } from '@heddle/xds';
import { LogRegistry } from '../../src/admin/logger.ts';
import { runProxy, type Proxy } from '../../src/config/proxy-runtime.ts';
import { parseBootstrap, type Bootstrap } from '../../src/xds/bootstrap.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import { eventually, plainListener, staticCluster } from '../xds/support/resources.ts';
import { fakeParts, type FakeParts } from './support/fake-parts.ts';
import { call } from './support/http.ts';

function bootstrapFor(server: FakeAdsServer, extra: Record<string, unknown> = {}): Bootstrap {
  return parseBootstrap({
    node: { id: 'router~127.0.0.1~gw.istio-system~istio-system.svc.cluster.local' },
    controlPlane: { addresses: [server.address] },
    admin: { port: 0 },
    health: { port: 0 },
    ...extra,
  });
}

function connect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

describe('proxy lifecycle', { timeout: 20_000 }, () => {
  let server: FakeAdsServer | undefined;
  let proxy: Proxy | undefined;
  let blocker: Server | undefined;

  afterEach(async () => {
    await proxy?.close();
    await server?.close();
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
  });

  async function start(parts: FakeParts, extra: Record<string, unknown> = {}): Promise<Proxy> {
    server = await FakeAdsServer.start();
    server.setResources(CLUSTER_TYPE_URL, [staticCluster('a')]);
    server.setResources(LISTENER_TYPE_URL, [plainListener('l')]);
    proxy = await runProxy(bootstrapFor(server, extra), () => parts, {
      logs: new LogRegistry({ write: () => {} }),
    });
    await proxy.ready;
    return proxy;
  }

  it('/quitquitquit drains (readiness failing meanwhile) and then closes everything', async () => {
    const parts = fakeParts();
    const running = await start(parts);
    const quit = await call(running.adminPort, '/quitquitquit', { method: 'POST' });
    assert.equal(quit.status, 200);
    assert.equal(quit.body, 'OK\n');
    await eventually(() => parts.calls.includes('drain'), 2000, 'the drain');
    assert.equal(running.state(), 'DRAINING');
    const ready = await call(running.adminPort, '/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body, 'DRAINING\n');
    assert.equal((await call(running.healthPort, '/healthz/ready')).status, 503);
    assert.match((await call(running.adminPort, '/stats?filter=^server.state$')).body, /server\.state: 1/);
    parts.finishDrain();
    await running.closed;
    assert.deepEqual(parts.calls, ['drain', 'close']);
    await assert.rejects(connect(running.adminPort), /ECONNREFUSED/);
  });

  it('closes at the drain deadline when connections do not finish', async () => {
    const parts = fakeParts();
    const running = await start(parts, { drainTimeout: '300ms' });
    const started = Date.now();
    await running.shutdown();
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 3000, `closed after ${elapsed} ms`);
    assert.deepEqual(parts.calls, ['drain', 'close']);
  });

  it('drains on POST /drain_listeners without closing', async () => {
    const parts = fakeParts({ drainMs: 10 });
    const running = await start(parts);
    assert.equal(
      (await call(running.adminPort, '/drain_listeners?graceful&inboundonly', { method: 'POST' })).status,
      200,
    );
    assert.equal(running.state(), 'DRAINING');
    assert.deepEqual(parts.calls, ['drain']);
    assert.equal((await call(running.adminPort, '/ready')).status, 503);
  });

  it('fails to start with a clear error when the admin port is taken', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    server = await FakeAdsServer.start();
    const parts = fakeParts();
    await assert.rejects(
      runProxy(bootstrapFor(server, { admin: { port } }), () => parts, {
        logs: new LogRegistry({ write: () => {} }),
      }),
      /cannot open the admin or health port: .*EADDRINUSE/,
    );
    assert.deepEqual(parts.calls, ['close']);
    assert.equal(server.totalStreams, 0, 'no xDS stream is opened when the proxy cannot start');
  });
});
