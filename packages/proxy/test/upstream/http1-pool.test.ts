// HTTP/1.1 connection pools: keep-alive reuse, max_requests_per_connection and max_connections seen from the
// server, idle_timeout, connect_timeout and refused connections as connect failures, resets and cancels.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { isAttemptError } from '../../src/upstream/attempt-error.ts';
import type { UpstreamAttempt } from '../../src/upstream/cluster-view.ts';
import { cluster, ports, staticCluster } from './helpers/config.ts';
import { applyClusters, eventually, harness, view } from './helpers/harness.ts';
import { httpOptions } from './helpers/protocol-options.ts';
import { request, send } from './helpers/send.ts';
import { closeAll, startHttpUpstream, type TestUpstream } from './helpers/upstreams.ts';

function protocolOptions(common: { maxRequestsPerConnection?: number; idleTimeout?: { nanos: number } }) {
  return httpOptions({ commonHttpProtocolOptions: common });
}

describe('HTTP/1.1 pool', { timeout: 15_000 }, () => {
  let upstream: TestUpstream;
  let slow: TestUpstream;
  const held: ServerResponse[] = [];
  before(async () => {
    upstream = await startHttpUpstream('u');
    slow = await startHttpUpstream('slow', (req, res) => {
      req.resume();
      held.push(res);
    });
  });
  after(async () => {
    for (const res of held) res.end();
    await closeAll([upstream, slow]);
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const { manager, stats } = harness();
    try {
      const before = upstream.connections;
      applyClusters(manager, [staticCluster('svc', ports('svc', [upstream.port]))]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      for (let i = 0; i < 5; i++) assert.equal((await send(svc, host)).body, 'u');
      assert.equal(upstream.connections - before, 1);
      assert.equal(stats.cluster('svc', 'upstream_cx_total'), 1);
      assert.equal(stats.cluster('svc', 'upstream_cx_http1_total'), 1);
      assert.equal(stats.cluster('svc', 'upstream_cx_active'), 1);
    } finally {
      manager.close();
    }
  });

  it('opens a new connection every max_requests_per_connection requests', async () => {
    const { manager, stats } = harness();
    try {
      const before = upstream.connections;
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [upstream.port]), protocolOptions({ maxRequestsPerConnection: 2 })),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      for (let i = 0; i < 6; i++) await send(svc, host);
      assert.equal(upstream.connections - before, 3);
      assert.equal(stats.cluster('svc', 'upstream_cx_total'), 3);
    } finally {
      manager.close();
    }
  });

  it('max_requests_per_connection 1 closes every connection after its request', async () => {
    const { manager } = harness();
    try {
      const before = upstream.connections;
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [upstream.port]), protocolOptions({ maxRequestsPerConnection: 1 })),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      for (let i = 0; i < 3; i++) await send(svc, host);
      assert.equal(upstream.connections - before, 3);
    } finally {
      manager.close();
    }
  });

  it('never opens more than max_connections to a host; further requests wait for one', async () => {
    const { manager } = harness();
    const attempts: UpstreamAttempt[] = [];
    try {
      const before = slow.connections;
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [slow.port]), {
          circuitBreakers: { thresholds: [{ maxConnections: 2 }] },
        }),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      for (let i = 0; i < 3; i++) attempts.push(svc.sendHttp(host, request()));
      await eventually(() => held.length === 2);
      assert.equal(slow.connections - before, 2);
      held.shift()?.end('a');
      await eventually(() => held.length === 2);
      for (const res of held.splice(0)) res.end('b');
      const statuses = await Promise.all(attempts.map(async (a) => (await a.response).status));
      assert.deepEqual(statuses, [200, 200, 200]);
      assert.equal(slow.connections - before, 2);
    } finally {
      manager.close();
    }
  });

  it('closes connections idle for longer than idle_timeout', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        staticCluster(
          'svc',
          ports('svc', [upstream.port]),
          protocolOptions({ idleTimeout: { nanos: 100_000_000 } }),
        ),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      await send(svc, host);
      assert.equal(stats.cluster('svc', 'upstream_cx_active'), 1);
      await eventually(() => stats.cluster('svc', 'upstream_cx_active') === 0);
      assert.equal(stats.cluster('svc', 'upstream_cx_destroy'), 1);
    } finally {
      manager.close();
    }
  });

  it('reports a refused connection as connect-failure', async () => {
    const { manager, stats } = harness();
    try {
      const closed = await startHttpUpstream('gone');
      await closed.close();
      applyClusters(manager, [staticCluster('svc', ports('svc', [closed.port]))]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const err: unknown = await svc.sendHttp(host, request()).response.then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isAttemptError(err));
      assert.deepEqual(err.outcome, { kind: 'connect-failure' });
      assert.equal(stats.cluster('svc', 'upstream_cx_connect_fail'), 1);
      assert.equal(stats.cluster('svc', 'upstream_rq_active'), 0);
    } finally {
      manager.close();
    }
  });

  it('fails with connect-failure when the connection is not up within connect_timeout', async () => {
    // A TCP server that accepts and never answers the TLS handshake.
    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [port]), {
          connectTimeout: { nanos: 200_000_000 },
          transportSocket: {
            name: 'envoy.transport_sockets.tls',
            configType: {
              case: 'typedConfig',
              value: {
                $typeName: 'google.protobuf.Any',
                typeUrl: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
                value: new Uint8Array(),
              },
            },
          },
        }),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const started = Date.now();
      const err: unknown = await svc.sendHttp(host, request()).response.then(
        () => undefined,
        (e: unknown) => e,
      );
      const elapsed = Date.now() - started;
      assert.ok(isAttemptError(err));
      assert.equal(err.outcome.kind, 'connect-failure');
      assert.equal(err.code, 'HEDDLE_UPSTREAM_CONNECT_TIMEOUT');
      assert.ok(elapsed >= 150 && elapsed < 2000, `took ${elapsed}ms`);
      assert.equal(stats.cluster('svc', 'upstream_cx_connect_timeout'), 1);
    } finally {
      manager.close();
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('reports an upstream that drops the connection mid-request as reset', async () => {
    const dropper = await startHttpUpstream('dropper', (req) => req.socket.destroy());
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [staticCluster('svc', ports('svc', [dropper.port]))]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const err: unknown = await svc.sendHttp(host, request()).response.then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isAttemptError(err));
      assert.equal(err.outcome.kind, 'reset');
      assert.equal(stats.cluster('svc', 'upstream_rq_rx_reset'), 1);
    } finally {
      manager.close();
      await dropper.close();
    }
  });

  it('a request undici refuses to send (bad header value) fails as a local reset, not a connect failure', async () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [staticCluster('svc', ports('svc', [upstream.port]))]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const err: unknown = await svc
        .sendHttp(host, request({ headers: { 'x-bad': 'a\r\nx-injected: 1' } }))
        .response.then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(isAttemptError(err));
      assert.equal(err.code, 'HEDDLE_UPSTREAM_INVALID_REQUEST');
      assert.equal(err.outcome.kind, 'reset');
      assert.equal((await send(svc, host)).status, 200);
    } finally {
      manager.close();
    }
  });

  it('cancel() aborts the request upstream and counts a local reset', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [staticCluster('svc', ports('svc', [slow.port]))]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const attempt = svc.sendHttp(host, request());
      await eventually(() => held.length === 1);
      const res = held.shift();
      const closed = new Promise<void>((resolve) => res?.on('close', resolve));
      attempt.cancel('timeout');
      await closed;
      await assert.rejects(attempt.response, (e: unknown) => isAttemptError(e) && e.outcome.kind === 'reset');
      assert.equal(stats.cluster('svc', 'upstream_rq_tx_reset'), 1);
      assert.equal(stats.cluster('svc', 'upstream_rq_active'), 0);
    } finally {
      manager.close();
    }
  });

  it('reaches an endpoint on a unix socket (pipe address)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heddle-pipe-'));
    const path = join(dir, 'app.sock');
    const server = createHttpServer((req, res) => res.end(`pipe ${req.url}`));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const { manager } = harness();
    try {
      applyClusters(manager, [
        cluster({
          name: 'svc',
          clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
          loadAssignment: {
            clusterName: 'svc',
            endpoints: [
              {
                lbEndpoints: [
                  {
                    hostIdentifier: {
                      case: 'endpoint',
                      value: { address: { address: { case: 'pipe', value: { path } } } },
                    },
                  },
                ],
              },
            ],
          },
        }),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.equal(host?.id, path);
      assert.ok(host);
      assert.equal((await send(svc, host, { path: '/x' })).body, 'pipe /x');
    } finally {
      manager.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
