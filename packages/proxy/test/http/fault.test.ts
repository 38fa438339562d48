// Fault injection: the pure decision (percentages, header-controlled faults) and the filter end to end —
// delays (DI), aborts (FI) with HTTP and gRPC status, per-route overrides and max_active_faults.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { FAULT_TYPE_URL, HTTP_FILTERS, packAny } from '@heddle/xds';
import { HTTPFaultSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/fault/v3/fault_pb.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { compileFaultConfig, type FaultConfig } from '../../src/filters/http/fault/config.ts';
import { decideFault } from '../../src/filters/http/fault/decide-fault.ts';
import { defaultFilters, hcmConfig, routeConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

const MILLION = 2;
const ms = (n: number) => ({ seconds: BigInt(Math.floor(n / 1000)), nanos: (n % 1000) * 1_000_000 });

function compiled(init: MessageInitShape<typeof HTTPFaultSchema>): FaultConfig {
  const result = compileFaultConfig(create(HTTPFaultSchema, init));
  if ('error' in result) throw new Error(result.error);
  return result.value;
}

describe('decideFault', () => {
  const config = compiled({
    delay: {
      faultDelaySecifier: { case: 'fixedDelay', value: ms(200) },
      percentage: { numerator: 250_000, denominator: MILLION },
    },
    abort: { errorType: { case: 'httpStatus', value: 503 }, percentage: { numerator: 10, denominator: 0 } },
  });

  it('delays and aborts by their own percentages', () => {
    assert.deepEqual(
      decideFault(config, {}, () => 0.05),
      { delayMs: 200, abort: { httpStatus: 503 } },
    );
    assert.deepEqual(
      decideFault(config, {}, () => 0.2),
      { delayMs: 200 },
    );
    assert.deepEqual(
      decideFault(config, {}, () => 0.3),
      {},
    );
  });

  it('ignores fault headers unless the config asks for header-controlled faults', () => {
    assert.deepEqual(
      decideFault(config, { 'x-envoy-fault-abort-request': '418' }, () => 0.3),
      {},
    );
    const fromHeaders = compiled({
      delay: {
        faultDelaySecifier: { case: 'headerDelay', value: {} },
        percentage: { numerator: 100, denominator: 0 },
      },
      abort: { errorType: { case: 'headerAbort', value: {} }, percentage: { numerator: 50, denominator: 0 } },
    });
    const headers = { 'x-envoy-fault-delay-request': '30', 'x-envoy-fault-abort-request': '418' };
    assert.deepEqual(
      decideFault(fromHeaders, headers, () => 0.4),
      { delayMs: 30, abort: { httpStatus: 418 } },
    );
    // The percentage header may only lower the configured share.
    assert.deepEqual(
      decideFault(fromHeaders, { ...headers, 'x-envoy-fault-abort-request-percentage': '20' }, () => 0.4),
      { delayMs: 30 },
    );
    assert.deepEqual(
      decideFault(fromHeaders, { ...headers, 'x-envoy-fault-abort-request-percentage': '90' }, () => 0.6),
      { delayMs: 30 },
    );
    assert.deepEqual(
      decideFault(fromHeaders, { 'x-envoy-fault-abort-grpc-request': '14' }, () => 0.1),
      { abort: { grpcStatus: 14 } },
    );
  });
});

describe('fault filter', { timeout: 20_000 }, () => {
  let upstream: Upstream;
  let clusters: TestClusters;
  let proxy: ProxyHarness;
  let randomValue = 0;

  before(async () => {
    upstream = await startHttp1Upstream('app');
    clusters = new TestClusters();
    clusters.add('app', { ports: [upstream.port] });
    const perRoute = (init: MessageInitShape<typeof HTTPFaultSchema>) => ({
      [HTTP_FILTERS.FAULT]: packAny(HTTPFaultSchema, init),
    });
    const to = {
      case: 'route' as const,
      value: { clusterSpecifier: { case: 'cluster' as const, value: 'app' } },
    };
    proxy = await startProxy(
      hcmConfig(
        routeConfig([
          {
            name: 'delay',
            match: { pathSpecifier: { case: 'prefix', value: '/delay' } },
            typedPerFilterConfig: perRoute({
              delay: {
                faultDelaySecifier: { case: 'fixedDelay', value: ms(300) },
                percentage: { numerator: 50, denominator: 0 },
              },
            }),
            action: to,
          },
          {
            name: 'abort',
            match: { pathSpecifier: { case: 'prefix', value: '/abort' } },
            typedPerFilterConfig: perRoute({
              abort: {
                errorType: { case: 'httpStatus', value: 503 },
                percentage: { numerator: 50, denominator: 0 },
              },
            }),
            action: to,
          },
          {
            name: 'grpc',
            match: { pathSpecifier: { case: 'prefix', value: '/grpc' } },
            typedPerFilterConfig: perRoute({
              abort: {
                errorType: { case: 'grpcStatus', value: 14 },
                percentage: { numerator: 100, denominator: 0 },
              },
            }),
            action: to,
          },
          {
            name: 'limited',
            match: { pathSpecifier: { case: 'prefix', value: '/limited' } },
            typedPerFilterConfig: perRoute({
              maxActiveFaults: 1,
              delay: {
                faultDelaySecifier: { case: 'fixedDelay', value: ms(300) },
                percentage: { numerator: 100, denominator: 0 },
              },
            }),
            action: to,
          },
          { name: 'plain', match: { pathSpecifier: { case: 'prefix', value: '/' } }, action: to },
        ]),
        // The filter-level config aborts everything with 500, unless a route overrides it.
        {
          httpFilters: defaultFilters({
            abort: {
              errorType: { case: 'httpStatus', value: 500 },
              percentage: { numerator: 100, denominator: 0 },
            },
            headers: [{ name: 'x-chaos', headerMatchSpecifier: { case: 'presentMatch', value: true } }],
          }),
        },
      ),
      clusters,
      { random: () => randomValue },
    );
  });

  after(async () => {
    await proxy?.close();
    await clusters?.close();
    await upstream?.close();
  });

  async function get(path: string, headers: Record<string, string> = {}) {
    const done = proxy.nextStream();
    const started = Date.now();
    const res = await request(`${proxy.url}${path}`, { headers });
    const body = await res.body.text();
    return {
      status: res.statusCode,
      headers: res.headers,
      body,
      elapsed: Date.now() - started,
      info: await done,
    };
  }

  it('delays the chosen share of requests and marks them DI', async () => {
    randomValue = 0.2;
    const delayed = await get('/delay');
    assert.equal(delayed.status, 200);
    assert.ok(delayed.elapsed >= 250 && delayed.elapsed < 3000, `took ${delayed.elapsed}`);
    assert.deepEqual([...delayed.info.responseFlags], ['DI']);
    randomValue = 0.7;
    const fast = await get('/delay');
    assert.ok(fast.elapsed < 250);
    assert.equal(fast.info.responseFlags.size, 0);
    assert.equal(proxy.stats.value('http.test.fault.delays_injected'), 1);
  });

  it('aborts the chosen share with the configured status and FI, before anything reaches the upstream', async () => {
    const before = upstream.received.length;
    randomValue = 0.2;
    const aborted = await get('/abort');
    assert.equal(aborted.status, 503);
    assert.equal(aborted.body, 'fault filter abort');
    assert.deepEqual([...aborted.info.responseFlags], ['FI']);
    assert.equal(upstream.received.length, before);
    randomValue = 0.7;
    assert.equal((await get('/abort')).status, 200);
    assert.equal(proxy.stats.value('http.test.fault.aborts_injected'), 1);
  });

  it('aborts gRPC with grpc-status in a trailers-only response', async () => {
    const res = await get('/grpc', { 'content-type': 'application/grpc' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['grpc-status'], '14');
  });

  it('applies the filter-level config where no route overrides it, only to matching headers', async () => {
    assert.equal((await get('/plain')).status, 200);
    assert.equal((await get('/plain', { 'x-chaos': '1' })).status, 500);
  });

  it('skips faults beyond max_active_faults and counts the overflow', async () => {
    const [a, b] = await Promise.all([
      get('/limited'),
      new Promise((r) => setTimeout(r, 50)).then(() => get('/limited')),
    ]);
    assert.ok(a.elapsed >= 250);
    assert.ok(b.elapsed < 250, `second took ${b.elapsed}`);
    assert.equal(proxy.stats.value('http.test.fault.faults_overflow'), 1);
    assert.equal(proxy.stats.value('http.test.fault.active_faults'), 0);
  });

  it('refuses an invalid abort status at config time', () => {
    const result = compileFaultConfig(
      create(HTTPFaultSchema, { abort: { errorType: { case: 'httpStatus', value: 99 } } }),
    );
    assert.ok('error' in result && result.error.includes('http_status 99'));
    assert.equal(FAULT_TYPE_URL.endsWith('HTTPFault'), true);
  });
});
