// Route timeouts answer 504 UT and cancel the upstream request; gRPC timeouts follow grpc-timeout under
// max_grpc_timeout; a client that goes away cancels the upstream and marks the stream DC.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { hcmConfig, routeConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

describe('timeouts', { timeout: 20_000 }, () => {
  let upstream: Upstream;
  let clusters: TestClusters;
  let proxy: ProxyHarness;
  const closed: string[] = [];

  before(async () => {
    upstream = await startHttp1Upstream('slow');
    upstream.handler = (req) => {
      req.socket.once('close', () => closed.push(req.url ?? ''));
    };
    clusters = new TestClusters();
    clusters.add('slow', { ports: [upstream.port] });
    const forward = (timeoutMs: number, extra: Record<string, unknown> = {}) => ({
      case: 'route' as const,
      value: {
        clusterSpecifier: { case: 'cluster' as const, value: 'slow' },
        timeout: { seconds: 0n, nanos: timeoutMs * 1_000_000 },
        ...extra,
      },
    });
    proxy = await startProxy(
      hcmConfig(
        routeConfig([
          {
            name: 'grpc',
            match: { pathSpecifier: { case: 'prefix', value: '/grpc' } },
            action: forward(900, { maxGrpcTimeout: { seconds: 0n, nanos: 150_000_000 } }),
          },
          { name: 'long', match: { pathSpecifier: { case: 'prefix', value: '/long' } }, action: forward(0) },
          { name: 'short', match: { pathSpecifier: { case: 'prefix', value: '/' } }, action: forward(150) },
        ]),
      ),
      clusters,
    );
  });

  after(async () => {
    await proxy?.close();
    await clusters?.close();
    await upstream?.close();
  });

  it('answers 504 with UT when the route timeout fires, and cancels the upstream request', async () => {
    const done = proxy.nextStream();
    const started = Date.now();
    const res = await request(`${proxy.url}/slow`);
    assert.equal(res.statusCode, 504);
    assert.equal(await res.body.text(), 'upstream request timeout');
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 100 && elapsed < 3000, `took ${elapsed} ms`);
    const info = await done;
    assert.deepEqual([...info.responseFlags], ['UT']);
    assert.equal(proxy.stats.value('cluster.slow.upstream_rq_timeout'), 1);
    for (let i = 0; i < 50 && !closed.includes('/slow'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(closed.includes('/slow'), 'the upstream connection was closed');
    assert.deepEqual(clusters.cluster('slow')?.outcomes.at(-1)?.outcome, { kind: 'timeout' });
  });

  it('takes the gRPC timeout from grpc-timeout, capped by max_grpc_timeout', async () => {
    const started = Date.now();
    const res = await request(`${proxy.url}/grpc`, {
      headers: { 'content-type': 'application/grpc', 'grpc-timeout': '50m' },
    });
    await res.body.text();
    assert.equal(res.headers['grpc-status'], '14');
    assert.ok(Date.now() - started < 800);
    const capped = Date.now();
    const res2 = await request(`${proxy.url}/grpc`, {
      headers: { 'content-type': 'application/grpc', 'grpc-timeout': '99999999S' },
    });
    await res2.body.text();
    const elapsed = Date.now() - capped;
    assert.ok(elapsed >= 100 && elapsed < 800, `took ${elapsed} ms`);
  });

  it('cancels the upstream and records DC when the client goes away', async () => {
    const done = proxy.nextStream();
    const controller = new AbortController();
    const pending = request(`${proxy.url}/long/abort`, { signal: controller.signal }).catch(() => undefined);
    for (let i = 0; i < 100 && !upstream.received.some((r) => r.url === '/long/abort'); i++)
      await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await pending;
    const info = await done;
    assert.ok(info.responseFlags.has('DC'));
    for (let i = 0; i < 50 && !closed.includes('/long/abort'); i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.ok(closed.includes('/long/abort'));
    assert.equal(clusters.cluster('slow')?.activeRequests, 0);
  });
});
