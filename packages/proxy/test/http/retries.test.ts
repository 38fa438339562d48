// Retries: each retry_on condition, attempt counting (x-envoy-attempt-count), previous-host avoidance,
// num_retries, the retry budget (upstream_rq_retry_overflow), per-try timeouts, and outcomes recorded per attempt.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { request } from 'undici';
import { hcmConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters, type TestClusterOptions } from './helpers/test-clusters.ts';
import { echo, startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

interface RetryInit {
  retryOn: string;
  numRetries?: number;
  retriableStatusCodes?: number[];
  perTryTimeout?: { seconds: bigint; nanos: number };
  avoidPrevious?: boolean;
}

function retryRoute(retry: RetryInit) {
  return {
    name: 'retry',
    match: { pathSpecifier: { case: 'prefix' as const, value: '/' } },
    action: {
      case: 'route' as const,
      value: {
        clusterSpecifier: { case: 'cluster' as const, value: 'svc' },
        retryPolicy: {
          retryOn: retry.retryOn,
          numRetries: retry.numRetries ?? 2,
          retriableStatusCodes: retry.retriableStatusCodes ?? [],
          ...(retry.perTryTimeout ? { perTryTimeout: retry.perTryTimeout } : {}),
          retryHostPredicate: retry.avoidPrevious
            ? [{ name: 'envoy.retry_host_predicates.previous_hosts' }]
            : [],
          retryBackOff: { baseInterval: { nanos: 1_000_000 } },
        },
      },
    },
  };
}

describe('retries', { timeout: 30_000 }, () => {
  let upstreams: Upstream[];
  let clusters: TestClusters | undefined;
  let proxy: ProxyHarness | undefined;

  before(async () => {
    upstreams = await Promise.all([
      startHttp1Upstream('one'),
      startHttp1Upstream('two'),
      startHttp1Upstream('three'),
    ]);
  });
  afterEach(async () => {
    await proxy?.close();
    await clusters?.close();
    proxy = undefined;
    for (const u of upstreams) {
      u.handler = echo;
      u.received.length = 0;
    }
  });
  after(async () => {
    await Promise.all(upstreams.map((u) => u.close()));
  });

  async function setup(retry: RetryInit, options: Partial<TestClusterOptions> = {}, count = 1) {
    clusters = new TestClusters();
    const cluster = clusters.add('svc', { ports: upstreams.slice(0, count).map((u) => u.port), ...options });
    const config = hcmConfig({
      name: 'rc',
      virtualHosts: [
        {
          name: 'vh',
          domains: ['*'],
          includeRequestAttemptCount: true,
          includeAttemptCountInResponse: true,
          routes: [retryRoute(retry)],
        },
      ],
    });
    proxy = await startProxy(config, clusters, { random: () => 0.5 });
    return cluster;
  }

  /** Answers `statuses` in order (then 200) across all upstreams. */
  function answer(statuses: number[], headers: Record<string, string> = {}) {
    let n = 0;
    for (const u of upstreams) {
      u.handler = (req, res, body) => {
        const status = statuses[n++];
        if (status === undefined) return echo(req, res, body);
        res.writeHead(status, headers);
        res.end(`status ${status}`);
      };
    }
  }

  async function get(
    path = '/',
    init: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> } = {},
  ) {
    const p = proxy as ProxyHarness;
    const done = p.nextStream();
    const res = await request(`${p.url}${path}`, {
      method: init.method ?? 'GET',
      ...(init.body ? { body: init.body } : {}),
      headers: init.headers ?? {},
    });
    const body = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body, info: await done };
  }

  it('retries 5xx responses and counts attempts upstream and in the response', async () => {
    const cluster = await setup({ retryOn: '5xx' });
    answer([500, 502]);
    const res = await get();
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-envoy-attempt-count'], '3');
    const attempts = upstreams[0]?.received.map((r) => r.headers['x-envoy-attempt-count']);
    assert.deepEqual(attempts, ['1', '2', '3']);
    assert.equal(res.info.attemptCount, 3);
    assert.deepEqual(
      cluster.outcomes.map((o) => o.outcome),
      [
        { kind: 'response', status: 500 },
        { kind: 'response', status: 502 },
        { kind: 'response', status: 200 },
      ],
    );
    assert.equal(proxy?.stats.value('cluster.svc.upstream_rq_retry'), 2);
    assert.equal(proxy?.stats.value('cluster.svc.upstream_rq_retry_success'), 1);
  });

  it('stops after num_retries and forwards the last response with URX', async () => {
    await setup({ retryOn: '5xx', numRetries: 1 });
    answer([503, 503, 503]);
    const res = await get();
    assert.equal(res.status, 503);
    assert.equal(res.body, 'status 503');
    assert.ok(res.info.responseFlags.has('URX'));
    assert.equal(upstreams[0]?.received.length, 2);
    assert.equal(proxy?.stats.value('cluster.svc.upstream_rq_retry_limit_exceeded'), 1);
  });

  it('gateway-error retries 502/503/504 only', async () => {
    await setup({ retryOn: 'gateway-error' });
    answer([504, 500]);
    const res = await get();
    assert.equal(res.status, 500);
    assert.equal(upstreams[0]?.received.length, 2);
  });

  it('retriable-status-codes and retriable-4xx', async () => {
    await setup({ retryOn: 'retriable-status-codes,retriable-4xx', retriableStatusCodes: [418] });
    answer([418, 409, 404]);
    const res = await get();
    assert.equal(res.status, 404);
    assert.equal(upstreams[0]?.received.length, 3);
  });

  it('does not retry when retry_on does not cover the status', async () => {
    await setup({ retryOn: 'connect-failure' });
    answer([500]);
    assert.equal((await get()).status, 500);
    assert.equal(upstreams[0]?.received.length, 1);
  });

  it('retries gRPC errors from grpc-status in a trailers-only response', async () => {
    await setup({ retryOn: 'unavailable,resource-exhausted' });
    let n = 0;
    upstreams[0]!.handler = (_req, res) => {
      const status = ['14', '8', '0'][n++] ?? '0';
      res.writeHead(200, { 'content-type': 'application/grpc', 'grpc-status': status });
      res.end();
    };
    const res = await get('/', { headers: { 'content-type': 'application/grpc' } });
    assert.equal(res.headers['grpc-status'], '0');
    assert.equal(upstreams[0]?.received.length, 3);
  });

  it('retries connect failures on another host, avoiding previous hosts', async () => {
    const cluster = await setup(
      { retryOn: 'connect-failure', avoidPrevious: true },
      { failAttempt: (n) => (n === 0 ? 'connect-failure' : undefined) },
      3,
    );
    const res = await get();
    assert.equal(res.status, 200);
    const [first, second] = cluster.outcomes;
    assert.deepEqual(first?.outcome, { kind: 'connect-failure' });
    assert.notEqual(first?.host, second?.host);
    assert.ok(cluster.selections[1]?.exclude?.has(first?.host ?? ''));
  });

  it('retries resets and refused streams; a final connect failure answers 503 UF', async () => {
    await setup(
      { retryOn: 'reset,refused-stream', numRetries: 3 },
      { failAttempt: (n) => (['reset', 'refused-stream'] as const)[n] },
    );
    assert.equal((await get()).status, 200);
    await proxy?.close();
    await clusters?.close();
    await setup({ retryOn: 'connect-failure', numRetries: 1 }, { failAttempt: () => 'connect-failure' });
    const res = await get();
    assert.equal(res.status, 503);
    assert.ok(res.info.responseFlags.has('UF'));
    assert.ok(res.info.responseFlags.has('URX'));
  });

  it('retries a POST with its body replayed', async () => {
    await setup({ retryOn: '5xx' });
    answer([503]);
    const res = await get('/', { method: 'POST', body: 'payload' });
    assert.equal(res.status, 200);
    assert.deepEqual(
      upstreams[0]?.received.map((r) => r.body),
      ['payload', 'payload'],
    );
  });

  it('stops retrying when the retry budget is exhausted and counts the overflow', async () => {
    await setup({ retryOn: '5xx', numRetries: 3 }, { maxRetries: 0 });
    answer([503, 503]);
    const res = await get();
    assert.equal(res.status, 503);
    assert.equal(upstreams[0]?.received.length, 1);
    assert.equal(proxy?.stats.value('cluster.svc.upstream_rq_retry_overflow'), 1);
  });

  it('per-try timeouts cancel the attempt and retry, then answer 504 UT', async () => {
    const cluster = await setup({
      retryOn: '5xx',
      numRetries: 1,
      perTryTimeout: { seconds: 0n, nanos: 100_000_000 },
    });
    for (const u of upstreams) u.handler = () => {};
    const started = Date.now();
    const res = await get();
    assert.equal(res.status, 504);
    assert.ok(res.info.responseFlags.has('UT'));
    assert.ok(Date.now() - started < 5000);
    assert.equal(proxy?.stats.value('cluster.svc.upstream_rq_per_try_timeout'), 2);
    assert.deepEqual(
      cluster.outcomes.map((o) => o.outcome.kind),
      ['timeout', 'timeout'],
    );
  });
});
