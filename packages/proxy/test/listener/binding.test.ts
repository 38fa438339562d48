// Listeners bind to their socket address (port 0 gets an OS port), report it, count connections, and free
// their port on close; a port already taken is reported, not thrown.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { apply, chain, hcm, listener, portOf, tcpProxy } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { closed, connectTcp, echoServer, eventually, readUntil, type Upstream } from './helpers/net.ts';

describe('listener binding', { timeout: 20_000 }, () => {
  let echo: Upstream;
  before(async () => {
    echo = await echoServer();
  });
  after(() => echo.close());

  const setup = (): { manager: ListenerManager; stats: MemoryStats; http: FakeHttp } => {
    const stats = new MemoryStats();
    const http = new FakeHttp();
    const manager = new ListenerManager({
      clusters: tcpClusters({ echo: [echo.port] }),
      stats,
      secrets: NO_SECRETS,
      createHttp: http.create,
    });
    return { manager, stats, http };
  };

  it('binds port 0 listeners to distinct OS ports and serves on them', async () => {
    const { manager, stats } = setup();
    try {
      await apply(manager, [
        listener({ name: 'tcp', chains: [chain('to-echo', [tcpProxy('echo')])] }),
        listener({ name: 'web', chains: [chain('web', [hcm()])] }),
      ]);
      const tcpPort = portOf(manager, 'tcp');
      const webPort = portOf(manager, 'web');
      assert.notEqual(tcpPort, webPort);
      const socket = await connectTcp(tcpPort);
      socket.write('ping');
      assert.equal(await readUntil(socket, (s) => s === 'ping'), 'ping');
      assert.equal(stats.value('listener.tcp.downstream_cx_total'), 1);
      assert.equal(stats.value('listener.tcp.downstream_cx_active'), 1);
      socket.destroy();
      await eventually(() => stats.value('listener.tcp.downstream_cx_active') === 0);
      const res = await request(`http://127.0.0.1:${webPort}/`);
      assert.equal(res.statusCode, 200);
      assert.equal(((await res.body.json()) as { chain: string }).chain, 'web');
    } finally {
      await manager.close();
    }
  });

  it('describes listeners for the admin API', async () => {
    const { manager } = setup();
    try {
      await apply(manager, [listener({ name: 'tcp', chains: [chain('to-echo', [tcpProxy('echo')])] })]);
      const [description] = manager.describe();
      assert.equal(description?.name, 'tcp');
      assert.equal(description?.state, 'active');
      assert.deepEqual(description?.address, { host: '127.0.0.1', port: 0 });
      assert.equal(description?.boundAddress?.port, portOf(manager, 'tcp'));
      assert.deepEqual(
        description?.filterChains.map((c) => c.name),
        ['to-echo'],
      );
      assert.deepEqual(manager.handler.dependencies?.(), []);
    } finally {
      await manager.close();
    }
  });

  it('reports route configurations the HTTP chains need', async () => {
    const { manager } = setup();
    try {
      await apply(manager, [listener({ name: 'web', chains: [chain('web', [hcm()])] })]);
      assert.deepEqual(manager.handler.dependencies?.(), ['routes_8080']);
    } finally {
      await manager.close();
    }
  });

  it('does not bind bind_to_port:false listeners', async () => {
    const { manager } = setup();
    try {
      await apply(manager, [
        listener({
          name: 'target',
          port: 9,
          chains: [chain('c', [tcpProxy('echo')])],
          extra: { bindToPort: false },
        }),
      ]);
      assert.equal(manager.boundPorts().has('target'), false);
      assert.equal(manager.describe()[0]?.state, 'not-bound');
    } finally {
      await manager.close();
    }
  });

  it('reports a port that is already taken, keeps running, and retries on the next push', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const { manager } = setup();
    try {
      await apply(manager, [
        listener({ name: 'clash', port: taken, chains: [chain('c', [tcpProxy('echo')])] }),
      ]);
      const [description] = manager.describe();
      assert.equal(description?.state, 'bind-failed');
      assert.match(description?.error ?? '', /EADDRINUSE/);
      await new Promise((resolve) => blocker.close(resolve));
      await apply(manager, [
        listener({ name: 'clash', port: taken, chains: [chain('c', [tcpProxy('echo')])] }),
      ]);
      assert.equal(manager.describe()[0]?.state, 'active', 'pushing the listener again retries the bind');
      assert.equal(portOf(manager, 'clash'), taken);
    } finally {
      await manager.close();
      if (blocker.listening) await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('frees the port and closes connections on close()', async () => {
    const { manager } = setup();
    await apply(manager, [listener({ name: 'tcp', chains: [chain('to-echo', [tcpProxy('echo')])] })]);
    const port = portOf(manager, 'tcp');
    const socket = await connectTcp(port);
    socket.write('x');
    await readUntil(socket, (s) => s === 'x');
    await manager.close();
    await closed(socket);
    await assert.rejects(connectTcp(port), /ECONNREFUSED/);
  });
});
