// The listener manager binds an update's new sockets in acquire (before the xDS client ACKs) and puts them in
// service on commit: connections that arrive in between wait and are then served; a port handed from a
// retiring listener to a new one in the same update is bound at commit; a newer update supersedes an older
// one still waiting for commit (same addresses, no clash), and a rejected newer one leaves the older whole.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import { isPrepareError, type PreparedUpdate } from '../../src/config/resource-handler.ts';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { chain, listener, portOf, tcpProxy } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { connectTcp, echoServer, readUntil, type Upstream } from './helpers/net.ts';
import { createServer, type AddressInfo } from 'node:net';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function prepare(manager: ListenerManager, listeners: Listener[]): PreparedUpdate {
  const result = manager.handler.prepare(new Map(listeners.map((l) => [l.name, l])));
  if (isPrepareError(result)) assert.fail(result.error);
  return result;
}

async function echoes(port: number, text: string): Promise<void> {
  const socket = await connectTcp(port);
  socket.write(text);
  assert.equal(await readUntil(socket, (s) => s === text), text);
  socket.destroy();
}

describe('binding before the ACK', { timeout: 30_000 }, () => {
  let echo: Upstream;
  let stats: MemoryStats;
  let manager: ListenerManager;
  const tcp = (name: string, port: number) =>
    listener({ name, port, chains: [chain(name, [tcpProxy('echo')])] });

  before(async () => {
    echo = await echoServer();
  });
  after(() => echo.close());

  const fresh = (): ListenerManager => {
    stats = new MemoryStats();
    manager = new ListenerManager({
      clusters: tcpClusters({ echo: [echo.port] }),
      stats,
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
      drainTimeoutMs: 300,
      log: () => undefined,
    });
    return manager;
  };

  it('holds connections that arrive between acquire and commit, then serves them', async () => {
    fresh();
    try {
      const port = await freePort();
      const update = prepare(manager, [tcp('early', port)]);
      assert.equal(await update.acquire?.(), undefined);
      const socket = await connectTcp(port);
      socket.write('waited');
      update.commit();
      assert.equal(await readUntil(socket, (s) => s === 'waited'), 'waited');
      socket.destroy();
      assert.equal(stats.value('listener_manager.listener_create_success'), 1);
      assert.equal(stats.value('listener_manager.listener_added'), 1);
    } finally {
      await manager.close();
    }
  });

  it('binds at commit a port that a retiring listener hands over in the same update', async () => {
    fresh();
    try {
      const port = await freePort();
      const first = prepare(manager, [tcp('old', port)]);
      assert.equal(await first.acquire?.(), undefined);
      first.commit();
      const second = prepare(manager, [tcp('new', port)]);
      assert.equal(await second.acquire?.(), undefined, 'the port is ours: not a bind failure');
      second.commit();
      await manager.ready();
      assert.equal(portOf(manager, 'new'), port);
      await echoes(port, 'moved');
      assert.equal(stats.value('listener_manager.listener_create_failure'), 0);
      assert.equal(stats.value('listener_manager.listener_removed'), 1);
    } finally {
      await manager.close();
    }
  });

  it('lets a newer update bind what an older one still waiting for commit holds', async () => {
    fresh();
    try {
      const port = await freePort();
      const older = prepare(manager, [tcp('warming', port)]);
      assert.equal(await older.acquire?.(), undefined);
      const newer = prepare(manager, [tcp('warming', port), tcp('other', 0)]);
      assert.equal(await newer.acquire?.(), undefined);
      newer.commit();
      await echoes(port, 'newer');
      await echoes(portOf(manager, 'other'), 'other');
    } finally {
      await manager.close();
    }
  });

  it('keeps an older update whole when a newer one is rejected, and binds it at its commit', async () => {
    fresh();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = await freePort();
      const older = prepare(manager, [tcp('warming', port)]);
      assert.equal(await older.acquire?.(), undefined);
      const rejected = prepare(manager, [
        tcp('warming', port),
        tcp('clash', (blocker.address() as AddressInfo).port),
      ]);
      assert.match(
        (await rejected.acquire?.()) ?? '',
        /^listener clash: cannot bind 127\.0\.0\.1:\d+: EADDRINUSE/,
      );
      older.commit();
      await manager.ready();
      await echoes(port, 'older');
      assert.deepEqual(
        manager.describe().map((l) => l.name),
        ['warming'],
      );
    } finally {
      await manager.close();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('names every listener that failed and releases the ports it did bind', async () => {
    fresh();
    const blockers = [createServer(), createServer()];
    for (const blocker of blockers)
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const [a, b] = blockers.map((blocker) => (blocker.address() as AddressInfo).port) as [number, number];
    try {
      const good = await freePort();
      const update = prepare(manager, [tcp('a', a), tcp('b', b), tcp('good', good)]);
      const error = await update.acquire?.();
      assert.equal(
        error,
        `listener a: cannot bind 127.0.0.1:${a}: EADDRINUSE (address already in use); ` +
          `listener b: cannot bind 127.0.0.1:${b}: EADDRINUSE (address already in use)`,
      );
      assert.equal(stats.value('listener_manager.listener_create_failure'), 2);
      await assert.rejects(connectTcp(good), /ECONNREFUSED/);
      assert.deepEqual(manager.describe(), []);
    } finally {
      await manager.close();
      for (const blocker of blockers) await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
