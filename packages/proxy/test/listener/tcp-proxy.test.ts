// tcp_proxy: bytes both ways with backpressure, half-close, connect retries, no-cluster / no-host refusals, and the
// session record handed to the metrics hook.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TcpSessionInfo } from '../../src/filters/network/tcp-proxy/index.ts';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { apply, chain, listener, portOf, tcpProxy } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import {
  closed,
  connectTcp,
  echoServer,
  eventually,
  readToEnd,
  readUntil,
  type Upstream,
} from './helpers/net.ts';

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('tcp_proxy', { timeout: 30_000 }, () => {
  let echo: Upstream;
  let manager: ListenerManager;
  let stats: MemoryStats;
  const sessions: TcpSessionInfo[] = [];
  const started: TcpSessionInfo[] = [];
  const port: Record<string, number> = {};

  before(async () => {
    echo = await echoServer();
    const dead = [await deadPort(), await deadPort()];
    stats = new MemoryStats();
    const clusters = tcpClusters({
      echo: [echo.port],
      empty: [],
      dead,
      flaky: [dead[0] ?? 0, echo.port],
    });
    manager = new ListenerManager({
      clusters,
      stats,
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
      tcpSessions: {
        onSessionStart: (info) => started.push(info),
        onSessionComplete: (info) => sessions.push(info),
      },
    });
    const proxy = (name: string, cluster: string, attempts?: number): ReturnType<typeof listener> =>
      listener({
        name,
        chains: [
          chain(name, [
            tcpProxy(cluster, { statPrefix: name, ...(attempts ? { maxConnectAttempts: attempts } : {}) }),
          ]),
        ],
      });
    await apply(manager, [
      proxy('echo', 'echo'),
      proxy('missing', 'no-such-cluster'),
      proxy('empty', 'empty'),
      proxy('dead', 'dead', 2),
      proxy('flaky', 'flaky', 2),
    ]);
    for (const name of ['echo', 'missing', 'empty', 'dead', 'flaky']) port[name] = portOf(manager, name);
  });

  after(async () => {
    await manager.close();
    await echo.close();
  });

  it('relays a large payload both ways, pausing reads while the client is slow', async () => {
    const payload = Buffer.alloc(24 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4096) payload.writeUInt32BE(i, i);
    const socket = await connectTcp(port['echo'] ?? 0);
    socket.pause();
    socket.end(payload);
    // Nobody reads: the proxy must stop reading the upstream instead of buffering it all. How soon that
    // happens depends on machine load, so wait for it rather than for a fixed time.
    await eventually(() => stats.value('tcp.echo.downstream_flow_control_paused_reading_total') >= 1);
    const received = await readToEnd(socket);
    assert.equal(received.length, payload.length);
    assert.equal(
      createHash('sha256').update(received).digest('hex'),
      createHash('sha256').update(payload).digest('hex'),
    );
    await eventually(() => stats.value('tcp.echo.downstream_cx_tx_bytes_total') === payload.length);
    assert.equal(stats.value('tcp.echo.downstream_cx_rx_bytes_total'), payload.length);
    assert.ok(stats.value('tcp.echo.downstream_flow_control_resumed_reading_total') >= 1);
  });

  it('forwards a half-close and still delivers the reply', async () => {
    const socket = await connectTcp(port['echo'] ?? 0);
    socket.end('last words');
    assert.equal((await readToEnd(socket)).toString(), 'last words');
    await eventually(() => sessions.some((s) => s.bytesReceived === 10 && s.termination !== undefined));
  });

  it('reports each session to the hooks with bytes, host and duration', async () => {
    const socket = await connectTcp(port['echo'] ?? 0);
    socket.write('12345');
    await readUntil(socket, (s) => s === '12345');
    const live = started.at(-1);
    assert.equal(live?.bytesReceived, 5);
    assert.equal(live?.durationMs, undefined);
    socket.end();
    await closed(socket);
    await eventually(() => live?.durationMs !== undefined);
    assert.equal(live?.cluster, 'echo');
    assert.equal(live?.upstreamHost?.id, `127.0.0.1:${echo.port}`);
    assert.equal(live?.bytesSent, 5);
    assert.deepEqual(live?.responseFlags, []);
    assert.equal(live?.downstream.remoteAddress, '127.0.0.1');
    assert.ok(live && sessions.includes(live));
  });

  it('closes with NC when the cluster does not exist', async () => {
    const socket = await connectTcp(port['missing'] ?? 0);
    await closed(socket);
    await eventually(() => stats.value('tcp.missing.downstream_cx_no_route') === 1);
    assert.deepEqual(sessions.at(-1)?.responseFlags, ['NC']);
  });

  it('closes with UH when no host is healthy', async () => {
    const socket = await connectTcp(port['empty'] ?? 0);
    await closed(socket);
    await eventually(() => sessions.at(-1)?.statPrefix === 'empty');
    assert.deepEqual(sessions.at(-1)?.responseFlags, ['UH']);
    assert.equal(stats.value('cluster.empty.upstream_cx_none_healthy'), 1);
  });

  it('retries connect failures up to max_connect_attempts, then closes with UF and URX', async () => {
    const socket = await connectTcp(port['dead'] ?? 0);
    await closed(socket);
    await eventually(() => sessions.at(-1)?.statPrefix === 'dead');
    const session = sessions.at(-1);
    assert.equal(session?.connectAttempts, 2);
    assert.deepEqual(session?.responseFlags, ['UF', 'URX']);
    assert.equal(session?.termination, 'connect-failure');
  });

  it('connects to the next host when the first one fails', async () => {
    const socket = await connectTcp(port['flaky'] ?? 0);
    socket.write('second try');
    assert.equal(await readUntil(socket, (s) => s === 'second try'), 'second try');
    socket.destroy();
    await eventually(() => sessions.at(-1)?.statPrefix === 'flaky');
    assert.equal(sessions.at(-1)?.connectAttempts, 2);
  });
});
