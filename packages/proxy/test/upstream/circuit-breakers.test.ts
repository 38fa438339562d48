// Circuit breakers (thresholds[DEFAULT]): admission fails fast past max_requests, past max_pending_requests
// once max_connections are busy, and past max_retries or the retry budget, each counted like Envoy's.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { ResourceGuard, UpstreamAttempt } from '../../src/upstream/cluster-view.ts';
import { ports, staticCluster } from './helpers/config.ts';
import { applyClusters, eventually, harness, view } from './helpers/harness.ts';
import { request } from './helpers/send.ts';
import { closeAll, startHttpUpstream, type TestUpstream } from './helpers/upstreams.ts';

const thresholds = (t: {
  maxConnections?: number;
  maxPendingRequests?: number;
  maxRequests?: number;
  maxRetries?: number;
  retryBudget?: object;
}) => ({
  circuitBreakers: { thresholds: [t] },
});

describe('circuit breakers', { timeout: 10_000 }, () => {
  let upstream: TestUpstream;
  const held: ServerResponse[] = [];
  before(async () => {
    upstream = await startHttpUpstream('slow', (req, res) => {
      req.resume();
      held.push(res);
    });
  });
  after(async () => {
    for (const res of held) res.end('late');
    await closeAll([upstream]);
  });

  it('max_requests: the request past the limit is refused at once and counted', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [upstream.port]), thresholds({ maxRequests: 2 })),
      ]);
      const cluster = view(manager, 'svc');
      const a = cluster.admitRequest();
      const b = cluster.admitRequest();
      assert.ok(a && b);
      assert.equal(cluster.admitRequest(), undefined);
      assert.equal(stats.cluster('svc', 'upstream_rq_pending_overflow'), 1);
      assert.equal(stats.cluster('svc', 'circuit_breakers.default.rq_open'), 1);
      a.release();
      a.release();
      assert.equal(stats.cluster('svc', 'circuit_breakers.default.rq_open'), 0);
      const c = cluster.admitRequest();
      assert.ok(c);
      assert.equal(cluster.admitRequest(), undefined);
      b.release();
      c.release();
    } finally {
      manager.close();
    }
  });

  it('max_connections 1 + max_pending_requests 1: one request runs, one waits, the third overflows', async () => {
    const { manager, stats } = harness();
    const guards: ResourceGuard[] = [];
    const attempts: UpstreamAttempt[] = [];
    try {
      applyClusters(manager, [
        staticCluster(
          'svc',
          ports('svc', [upstream.port]),
          thresholds({ maxConnections: 1, maxPendingRequests: 1 }),
        ),
      ]);
      const cluster = view(manager, 'svc');
      const host = cluster.selectHost({});
      assert.ok(host);
      for (let i = 0; i < 2; i++) {
        const guard = cluster.admitRequest();
        assert.ok(guard, `request ${i} admitted`);
        guards.push(guard);
        attempts.push(cluster.sendHttp(host, request()));
      }
      await eventually(() => held.length === 1);
      assert.equal(stats.cluster('svc', 'upstream_cx_overflow'), 1);
      assert.equal(stats.cluster('svc', 'upstream_rq_pending_active'), 1);
      const started = Date.now();
      assert.equal(cluster.admitRequest(), undefined);
      assert.ok(Date.now() - started < 50, 'overflow is immediate');
      assert.equal(stats.cluster('svc', 'upstream_rq_pending_overflow'), 1);
      // The waiting request runs on the same connection once the first finishes.
      held.shift()?.end('one');
      await eventually(() => held.length === 1);
      held.shift()?.end('two');
      const statuses = await Promise.all(attempts.map(async (a) => (await a.response).status));
      assert.deepEqual(statuses, [200, 200]);
      assert.equal(stats.cluster('svc', 'upstream_cx_total'), 1);
    } finally {
      for (const g of guards) g.release();
      for (const res of held.splice(0)) res.end();
      manager.close();
    }
  });

  it('max_retries (Envoy default 3): the fourth concurrent retry overflows', () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [staticCluster('svc', ports('svc', [upstream.port]))]);
      const cluster = view(manager, 'svc');
      const retries = [cluster.admitRetry(), cluster.admitRetry(), cluster.admitRetry()];
      assert.ok(retries.every(Boolean));
      assert.equal(cluster.admitRetry(), undefined);
      assert.equal(stats.cluster('svc', 'upstream_rq_retry'), 3);
      assert.equal(stats.cluster('svc', 'upstream_rq_retry_overflow'), 1);
      retries[0]?.release();
      assert.ok(cluster.admitRetry());
    } finally {
      manager.close();
    }
  });

  it('a retry budget allows budget_percent of active requests, at least min_retry_concurrency', () => {
    const { manager, stats } = harness();
    const guards: ResourceGuard[] = [];
    try {
      applyClusters(manager, [
        staticCluster(
          'svc',
          ports('svc', [upstream.port]),
          thresholds({
            maxRetries: 1,
            retryBudget: { budgetPercent: { value: 50 }, minRetryConcurrency: 1 },
          }),
        ),
      ]);
      const cluster = view(manager, 'svc');
      for (let i = 0; i < 10; i++) guards.push(cluster.admitRequest() as ResourceGuard);
      for (let i = 0; i < 5; i++) assert.ok(cluster.admitRetry(), `retry ${i}`);
      assert.equal(cluster.admitRetry(), undefined);
      assert.equal(stats.cluster('svc', 'upstream_rq_retry_overflow'), 1);
    } finally {
      for (const g of guards) g.release();
      manager.close();
    }
  });
});
