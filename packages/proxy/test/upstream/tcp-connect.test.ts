// connect() for tcp_proxy: a raw connection to the host, counted as a cluster connection, refused at once
// past max_connections, and a connect failure when nothing listens.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isAttemptError } from '../../src/upstream/attempt-error.ts';
import { ports, staticCluster } from './helpers/config.ts';
import { applyClusters, eventually, harness, view } from './helpers/harness.ts';

describe('tcp connect', { timeout: 10_000 }, () => {
  let echo: Server;
  let port: number;
  const sockets = new Set<Socket>();
  before(async () => {
    echo = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    port = (echo.address() as { port: number }).port;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  it('opens a raw connection to the host and counts it', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [staticCluster('tcp', ports('tcp', [port]))]);
      const cluster = view(manager, 'tcp');
      const host = cluster.selectHost({});
      assert.ok(host);
      const socket = await cluster.connect(host);
      assert.equal(stats.cluster('tcp', 'upstream_cx_total'), 1);
      assert.equal(stats.cluster('tcp', 'upstream_cx_active'), 1);
      socket.write('ping');
      const [data] = (await once(socket, 'data')) as [Buffer];
      assert.equal(data.toString(), 'ping');
      socket.destroy();
      await eventually(() => stats.cluster('tcp', 'upstream_cx_active') === 0);
      assert.equal(stats.cluster('tcp', 'upstream_cx_destroy'), 1);
    } finally {
      manager.close();
    }
  });

  it('refuses a connection past max_connections at once', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        staticCluster('tcp', ports('tcp', [port]), {
          circuitBreakers: { thresholds: [{ maxConnections: 1 }] },
        }),
      ]);
      const cluster = view(manager, 'tcp');
      const host = cluster.selectHost({});
      assert.ok(host);
      const first = await cluster.connect(host);
      await assert.rejects(
        cluster.connect(host),
        (err: unknown) => isAttemptError(err) && err.code === 'HEDDLE_UPSTREAM_CX_OVERFLOW',
      );
      assert.equal(stats.cluster('tcp', 'upstream_cx_overflow'), 1);
      first.destroy();
      await eventually(() => stats.cluster('tcp', 'upstream_cx_active') === 0);
      (await cluster.connect(host)).destroy();
    } finally {
      manager.close();
    }
  });

  it('rejects with connect-failure when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [staticCluster('tcp', ports('tcp', [deadPort]))]);
      const cluster = view(manager, 'tcp');
      const host = cluster.selectHost({});
      assert.ok(host);
      await assert.rejects(
        cluster.connect(host),
        (err: unknown) => isAttemptError(err) && err.outcome.kind === 'connect-failure',
      );
      assert.equal(stats.cluster('tcp', 'upstream_cx_connect_fail'), 1);
    } finally {
      manager.close();
    }
  });
});
