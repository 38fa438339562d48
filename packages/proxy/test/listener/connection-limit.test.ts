// The per-listener connection limit (Heddle metadata `max_connections`): connections over it are closed at
// once and counted; a freed slot is usable again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { apply, chain, listener, portOf, prepareError, tcpProxy } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { closed, connectTcp, echoServer, eventually, readUntil, type Upstream } from './helpers/net.ts';

describe('listener connection limit', { timeout: 30_000 }, () => {
  let echo: Upstream;
  let manager: ListenerManager;
  let stats: MemoryStats;
  let port: number;

  before(async () => {
    echo = await echoServer();
    stats = new MemoryStats();
    manager = new ListenerManager({
      clusters: tcpClusters({ echo: [echo.port] }),
      stats,
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
    });
    await apply(manager, [
      listener({ name: 'limited', maxConnections: 2, chains: [chain('c', [tcpProxy('echo')])] }),
    ]);
    port = portOf(manager, 'limited');
  });

  after(async () => {
    await manager.close();
    await echo.close();
  });

  it('closes connections over the limit and counts downstream_cx_overflow', async () => {
    const first = await connectTcp(port);
    const second = await connectTcp(port);
    for (const socket of [first, second]) {
      socket.write('ok');
      await readUntil(socket, (s) => s === 'ok');
    }
    const third = await connectTcp(port);
    await closed(third);
    assert.equal(stats.value('listener.limited.downstream_cx_overflow'), 1);
    assert.equal(stats.value('listener.limited.downstream_cx_total'), 2);
    first.destroy();
    await eventually(() => stats.value('listener.limited.downstream_cx_active') === 1);
    const fourth = await connectTcp(port);
    fourth.write('again');
    assert.equal(await readUntil(fourth, (s) => s === 'again'), 'again');
    second.destroy();
    fourth.destroy();
  });

  it('refuses a limit that is not a positive integer', () => {
    const error = prepareError(manager, [
      listener({ name: 'bad', maxConnections: 0, chains: [chain('c', [tcpProxy('echo')])] }),
    ]);
    assert.match(error, /listener bad: metadata\.filter_metadata\.heddle\.max_connections/);
  });
});
