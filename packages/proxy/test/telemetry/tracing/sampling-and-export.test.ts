// Sampling (random_sampling respected within binomial bounds, consistent across hops through x-request-id),
// span export (OTLP/HTTP JSON, a bounded queue that drops and counts, a final flush on close), and the
// refusal of tracing config the proxy cannot run.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { packAny } from '@heddle/xds';
import {
  ZipkinConfigSchema,
  ZipkinConfig_CollectorEndpointVersion,
} from '@heddle/xds/gen/envoy/config/trace/v3/zipkin_pb.ts';
import { request } from 'undici';
import { createHttpConnectionManager } from '../../../src/http/connection-manager.ts';
import { RouteTables } from '../../../src/http/route-tables.ts';
import {
  decideSampling,
  markRequestIdSampled,
  requestIdSampled,
} from '../../../src/telemetry/tracing/sampling.ts';
import { ProxyObservability } from '../../../src/telemetry/tracing/proxy-observability.ts';
import { SpanExporter } from '../../../src/telemetry/tracing/span-exporter.ts';
import type { FinishedSpan } from '../../../src/telemetry/tracing/span.ts';
import { extractTraceContext } from '../../../src/telemetry/tracing/trace-context.ts';
import { encodeZipkin } from '../../../src/telemetry/tracing/zipkin-json.ts';
import { hcmConfig, routeConfig, startProxy, type ProxyHarness } from '../../http/helpers/harness.ts';
import { MemoryStats } from '../../http/helpers/memory-stats.ts';
import { TestClusters } from '../../http/helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from '../../http/helpers/upstreams.ts';
import { startSpanReceiver, type SpanReceiver } from './span-receiver.ts';
import { otelTracing, zipkinTracing } from './tracing-config.ts';

/** Bounds holding a Binomial(n, p) count with probability above 1 - 1e-6 (five standard deviations). */
function binomialBounds(n: number, p: number): [number, number] {
  const sd = Math.sqrt(n * p * (1 - p));
  return [Math.floor(n * p - 5 * sd), Math.ceil(n * p + 5 * sd)];
}

const route = (cluster: string) => ({
  match: { pathSpecifier: { case: 'prefix' as const, value: '/' } },
  action: {
    case: 'route' as const,
    value: { clusterSpecifier: { case: 'cluster' as const, value: cluster } },
  },
});

function span(id: number): FinishedSpan {
  return {
    traceId: 'a'.repeat(32),
    spanId: id.toString(16).padStart(16, '0'),
    name: 'test',
    kind: 'SERVER',
    timestampMicros: 1,
    durationMicros: 1,
    serviceName: 'test',
    tags: {},
    error: false,
  };
}

describe('sampling decision', () => {
  it('samples random ids at the configured percentage, within binomial bounds', () => {
    const n = 4000;
    for (const percent of [1, 25, 60]) {
      let sampled = 0;
      for (let i = 0; i < n; i++)
        if (
          decideSampling({
            requestId: randomUUID(),
            randomPercent: percent,
            overallPercent: 100,
            useRequestId: true,
            random: Math.random,
          })
        )
          sampled++;
      const [low, high] = binomialBounds(n, percent / 100);
      assert.ok(
        sampled >= low && sampled <= high,
        `${percent}%: ${sampled} of ${n} outside [${low}, ${high}]`,
      );
    }
  });

  it('decides the same way at every hop for one request id, and honours the id trace bit', () => {
    const id = randomUUID();
    const first = decideSampling({
      requestId: id,
      randomPercent: 50,
      overallPercent: 100,
      useRequestId: true,
      random: Math.random,
    });
    for (let i = 0; i < 20; i++)
      assert.equal(
        decideSampling({
          requestId: id,
          randomPercent: 50,
          overallPercent: 100,
          useRequestId: true,
          random: Math.random,
        }),
        first,
      );
    const marked = markRequestIdSampled('0d4e5f60-1a2b-4c3d-8e9f-001122334455');
    assert.equal(marked, '0d4e5f60-1a2b-9c3d-8e9f-001122334455');
    assert.ok(requestIdSampled(marked));
    assert.equal(
      decideSampling({
        requestId: marked,
        randomPercent: 0,
        overallPercent: 100,
        useRequestId: true,
        random: Math.random,
      }),
      true,
    );
    assert.equal(
      decideSampling({
        callerDecision: false,
        requestId: marked,
        randomPercent: 100,
        overallPercent: 100,
        useRequestId: true,
        random: Math.random,
      }),
      false,
    );
  });

  it('reads B3 and W3C context and ignores malformed or all-zero ids', () => {
    assert.deepEqual(
      extractTraceContext({
        'x-b3-traceid': '463AC35C9F6413AD',
        'x-b3-spanid': 'a2fb4a1d1a96d312',
        'x-b3-flags': '1',
      }),
      {
        traceId: '463ac35c9f6413ad',
        spanId: 'a2fb4a1d1a96d312',
        sampled: true,
        format: 'b3',
      },
    );
    assert.equal(extractTraceContext({ traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` }), undefined);
    assert.equal(
      extractTraceContext({ traceparent: 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }),
      undefined,
    );
    assert.equal(extractTraceContext({ b3: 'nonsense-ids-1' }), undefined);
    assert.equal(
      extractTraceContext({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' })
        ?.sampled,
      false,
    );
  });
});

describe('tracing through a proxy', { timeout: 30_000 }, () => {
  let app: Upstream;
  let receiver: SpanReceiver;
  let clusters: TestClusters;
  const proxies: ProxyHarness[] = [];
  const outputs: ProxyObservability[] = [];

  before(async () => {
    app = await startHttp1Upstream('app');
    receiver = await startSpanReceiver();
    clusters = new TestClusters();
    clusters.add('app', { ports: [app.port] });
    clusters.add('collector', { ports: [receiver.port] });
  });

  after(async () => {
    for (const proxy of proxies) await proxy.close();
    for (const output of outputs) await output.close();
    await clusters?.close();
    await receiver?.close();
    await app?.close();
  });

  async function proxyWith(tracing: unknown, statPrefix = 'outbound_0.0.0.0_80') {
    const observability = new ProxyObservability({
      clusters,
      stats: new MemoryStats(),
      identity: {
        nodeId: 'sidecar~127.0.0.1~frontend-1.shop~shop.svc.cluster.local',
        serviceName: 'frontend.shop',
      },
    });
    outputs.push(observability);
    const proxy = await startProxy(
      hcmConfig(routeConfig([route('app')]), { statPrefix, tracing }),
      clusters,
      { observability },
    );
    proxies.push(proxy);
    return { proxy, observability };
  }

  it('samples about random_sampling percent of requests sent through the proxy', async () => {
    const { proxy, observability } = await proxyWith(zipkinTracing({ cluster: 'collector', percent: 50 }));
    const before = receiver.zipkinSpans().length;
    const n = 200;
    let sampledHeaders = 0;
    for (let i = 0; i < n; i++) {
      const res = await request(`${proxy.url}/sample`);
      await res.body.text();
      if (app.received[app.received.length - 1]?.headers['x-b3-sampled'] === '1') sampledHeaders++;
    }
    await observability.flush();
    const reported = receiver.zipkinSpans().length - before;
    const [low, high] = binomialBounds(n, 0.5);
    assert.ok(reported >= low && reported <= high, `${reported} of ${n} outside [${low}, ${high}]`);
    assert.equal(sampledHeaders, reported, 'every sampled request was reported, and only those');
  });

  it('exports OTLP/HTTP JSON to an opentelemetry provider and propagates W3C context', async () => {
    const { proxy, observability } = await proxyWith(
      otelTracing({ cluster: 'collector', port: receiver.port }),
      'inbound_0.0.0.0_8080',
    );
    const res = await request(`${proxy.url}/otel`, { headers: { host: 'frontend.shop' } });
    await res.body.text();
    await observability.flush();
    const report = receiver.reports.findLast((r) => r.path === '/v1/traces');
    assert.ok(report, 'an OTLP report');
    assert.equal(report.contentType, 'application/json');
    const body = report.body as {
      resourceSpans: {
        resource: { attributes: { key: string; value: { stringValue: string } }[] };
        scopeSpans: {
          spans: {
            traceId: string;
            spanId: string;
            kind: number;
            startTimeUnixNano: string;
            attributes: { key: string }[];
          }[];
        }[];
      }[];
    };
    const resource = body.resourceSpans[0];
    assert.deepEqual(resource?.resource.attributes, [
      { key: 'service.name', value: { stringValue: 'frontend.shop' } },
    ]);
    const sent = resource?.scopeSpans[0]?.spans[0];
    assert.equal(sent?.kind, 2, 'SERVER');
    assert.match(sent?.traceId ?? '', /^[0-9a-f]{32}$/);
    assert.match(sent?.startTimeUnixNano ?? '', /^\d{19}$/);
    assert.ok(sent?.attributes.some((a) => a.key === 'http.status_code'));
    const traceparent = String(app.received[app.received.length - 1]?.headers.traceparent);
    assert.equal(traceparent, `00-${sent?.traceId ?? ''}-${sent?.spanId ?? ''}-01`);
  });

  it('refuses tracing providers and settings it cannot run, naming the problem', () => {
    const deps = { routes: new RouteTables(), clusters, stats: new MemoryStats() };
    const refused = (tracing: unknown): string => {
      const result = createHttpConnectionManager(hcmConfig(routeConfig([]), { tracing }), deps);
      assert.ok('error' in result);
      return result.error;
    };
    assert.match(
      refused({
        provider: {
          name: 'envoy.tracers.zipkin',
          configType: {
            case: 'typedConfig',
            value: packAny(ZipkinConfigSchema, {
              collectorCluster: 'c',
              collectorEndpointVersion: ZipkinConfig_CollectorEndpointVersion.GRPC,
            }),
          },
        },
      }),
      /tracing: tracing ZipkinConfig: only collector_endpoint_version HTTP_JSON is supported/,
    );
    assert.match(
      refused({
        ...zipkinTracing({ cluster: 'c' }),
        customTags: [{ tag: 'x', type: { case: 'metadata', value: {} } }],
      }),
      /custom_tags "x": only literal, environment and request_header are supported/,
    );
  });
});

describe('span exporter', { timeout: 20_000 }, () => {
  let receiver: SpanReceiver;
  let clusters: TestClusters;

  before(async () => {
    receiver = await startSpanReceiver();
    clusters = new TestClusters();
    clusters.add('collector', { ports: [receiver.port] });
  });
  after(async () => {
    await clusters?.close();
    await receiver?.close();
  });

  const options = {
    cluster: 'collector',
    path: '/api/v2/spans',
    authority: 'zipkin',
    encode: encodeZipkin,
    statPrefix: 'tracing.zipkin',
  };

  it('drops and counts spans beyond its queue while the collector hangs, without blocking callers', async () => {
    receiver.hang = true;
    const stats = new MemoryStats();
    const exporter = new SpanExporter(
      { ...options, batchSize: 2, maxQueued: 4, maxInFlight: 1, flushIntervalMs: 60_000 },
      clusters,
      stats,
    );
    const started = performance.now();
    for (let i = 1; i <= 20; i++) exporter.export(span(i));
    assert.ok(performance.now() - started < 1000, 'export never waits for the collector');
    // One batch of 2 in flight, 4 queued, the other 14 dropped.
    assert.equal(exporter.stats.spansDropped.value, 14);
    await exporter.close(200);
    receiver.hang = false;
  });

  it('sends what is queued when closed, and counts it as sent', async () => {
    const stats = new MemoryStats();
    const exporter = new SpanExporter(
      { ...options, batchSize: 100, flushIntervalMs: 60_000 },
      clusters,
      stats,
    );
    const before = receiver.zipkinSpans().length;
    for (let i = 1; i <= 3; i++) exporter.export(span(1000 + i));
    assert.equal(receiver.zipkinSpans().length, before, 'nothing sent before a batch fills');
    await exporter.close();
    assert.equal(receiver.zipkinSpans().length, before + 3);
    assert.equal(exporter.stats.spansSent.value, 3);
    assert.equal(stats.value('tracing.zipkin.reports_sent'), 1);
  });

  it('counts a report the collector cluster cannot take as failed', async () => {
    const exporter = new SpanExporter({ ...options, cluster: 'missing' }, clusters, new MemoryStats());
    exporter.export(span(1));
    await exporter.flush();
    assert.equal(exporter.stats.reportsFailed.value, 1);
    assert.equal(exporter.stats.spansDropped.value, 1);
    await exporter.close();
  });
});
