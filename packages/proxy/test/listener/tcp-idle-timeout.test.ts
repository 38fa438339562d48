// tcp_proxy timeouts: idle_timeout closes a connection with no traffic either way (traffic keeps it open), and
// max_downstream_connection_duration ends it regardless (flag DT).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TcpSessionInfo } from '../../src/filters/network/tcp-proxy/index.ts';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { apply, chain, listener, ms, portOf, tcpProxy } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import {
  closed,
  connectTcp,
  echoServer,
  eventually,
  readUntil,
  sleep,
  type Upstream,
} from './helpers/net.ts';

describe('tcp_proxy timeouts', { timeout: 30_000 }, () => {
  let echo: Upstream;
  let manager: ListenerManager;
  let stats: MemoryStats;
  const sessions: TcpSessionInfo[] = [];
  let idle: number;
  let capped: number;

  before(async () => {
    echo = await echoServer();
    stats = new MemoryStats();
    manager = new ListenerManager({
      clusters: tcpClusters({ echo: [echo.port] }),
      stats,
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
      tcpSessions: { onSessionComplete: (info) => sessions.push(info) },
    });
    await apply(manager, [
      listener({
        name: 'idle',
        chains: [chain('idle', [tcpProxy('echo', { statPrefix: 'idle', idleTimeout: ms(300) })])],
      }),
      listener({
        name: 'capped',
        chains: [
          chain('capped', [
            tcpProxy('echo', { statPrefix: 'capped', maxDownstreamConnectionDuration: ms(300) }),
          ]),
        ],
      }),
    ]);
    idle = portOf(manager, 'idle');
    capped = portOf(manager, 'capped');
  });

  after(async () => {
    await manager.close();
    await echo.close();
  });

  it('closes a silent connection after idle_timeout', async () => {
    const socket = await connectTcp(idle);
    socket.write('x');
    await readUntil(socket, (s) => s === 'x');
    const elapsed = await closed(socket, 3000);
    assert.ok(elapsed >= 200 && elapsed < 2000, `closed after ${elapsed} ms`);
    assert.equal(stats.value('tcp.idle.idle_timeout'), 1);
    await eventually(() => sessions.some((s) => s.termination === 'idle-timeout'));
  });

  it('keeps a connection with traffic open past idle_timeout', async () => {
    const socket = await connectTcp(idle);
    for (let i = 0; i < 8; i++) {
      socket.write(`${i}`);
      await readUntil(socket, (s) => s === `${i}`);
      await sleep(100);
    }
    assert.equal(socket.destroyed || socket.readableEnded, false);
    socket.destroy();
  });

  it('ends a busy connection at max_downstream_connection_duration with DT', async () => {
    const socket = await connectTcp(capped);
    const writer = setInterval(() => socket.write('.'), 50);
    const elapsed = await closed(socket, 3000);
    clearInterval(writer);
    assert.ok(elapsed >= 200 && elapsed < 2000, `closed after ${elapsed} ms`);
    await eventually(() => sessions.some((s) => s.statPrefix === 'capped'));
    assert.deepEqual(sessions.find((s) => s.statPrefix === 'capped')?.responseFlags, ['DT']);
  });
});
