// Removing a listener stops new connections at once and lets open ones finish until the drain deadline;
// drain() does the same for every listener and resolves when idle or at the deadline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { apply, chain, hcm, listener, portOf, tcpProxy } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { closed, connectTcp, echoServer, readUntil, sleep } from './helpers/net.ts';

const DRAIN_MS = 700;

async function setup(): Promise<{ manager: ListenerManager; http: FakeHttp; close: () => Promise<void> }> {
  const echo = await echoServer();
  const http = new FakeHttp();
  const manager = new ListenerManager({
    clusters: tcpClusters({ echo: [echo.port] }),
    stats: new MemoryStats(),
    secrets: NO_SECRETS,
    createHttp: http.create,
    drainTimeoutMs: DRAIN_MS,
  });
  await apply(manager, [
    listener({ name: 'tcp', chains: [chain('tcp', [tcpProxy('echo')])] }),
    listener({ name: 'web', chains: [chain('web', [hcm()])] }),
  ]);
  return {
    manager,
    http,
    close: async () => {
      await manager.close();
      await echo.close();
    },
  };
}

describe('listener removal and drain', { timeout: 30_000 }, () => {
  it('refuses new connections to a removed listener and closes open ones at the deadline', async () => {
    const { manager, close } = await setup();
    try {
      const port = portOf(manager, 'tcp');
      const open = await connectTcp(port);
      open.write('a');
      await readUntil(open, (s) => s === 'a');
      await apply(manager, [listener({ name: 'web', chains: [chain('web', [hcm()])] })]);
      assert.deepEqual(
        manager.describe().map((l) => l.name),
        ['web'],
      );
      await assert.rejects(connectTcp(port), /ECONNREFUSED/);
      open.write('b');
      assert.equal(await readUntil(open, (s) => s === 'b'), 'b', 'the open connection still works');
      const elapsed = await closed(open, DRAIN_MS + 2000);
      assert.ok(elapsed >= DRAIN_MS - 300, `closed after ${elapsed} ms`);
    } finally {
      await close();
    }
  });

  it('drain() resolves as soon as the last connection finishes', async () => {
    const { manager, http, close } = await setup();
    try {
      const socket = await connectTcp(portOf(manager, 'tcp'));
      socket.write('x');
      await readUntil(socket, (s) => s === 'x');
      const started = Date.now();
      const drained = manager.drain();
      assert.equal(http.handler('web')?.drained, true);
      await sleep(100);
      socket.end();
      await drained;
      assert.ok(Date.now() - started < DRAIN_MS, 'drain waited for the deadline although idle');
    } finally {
      await close();
    }
  });

  it('drain() closes what is still open at the deadline', async () => {
    const { manager, close } = await setup();
    try {
      const socket = await connectTcp(portOf(manager, 'tcp'));
      socket.write('x');
      await readUntil(socket, (s) => s === 'x');
      const started = Date.now();
      await manager.drain();
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= DRAIN_MS - 100 && elapsed < DRAIN_MS + 1500, `drain took ${elapsed} ms`);
      await closed(socket, 1000);
    } finally {
      await close();
    }
  });
});
