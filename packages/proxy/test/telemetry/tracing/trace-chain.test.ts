// Tracing through a chain of proxies on loopback — an ingress gateway, the frontend sidecar (inbound and
// outbound) and the product sidecar — reported to a Zipkin-compatible receiver: one trace whose spans form
// the parent/child chain of the hops, in B3 (multi and single header) and W3C Trace Context modes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { ProxyObservability } from '../../../src/telemetry/tracing/proxy-observability.ts';
import { hcmConfig, routeConfig, startProxy, type ProxyHarness } from '../../http/helpers/harness.ts';
import { MemoryStats } from '../../http/helpers/memory-stats.ts';
import { TestClusters } from '../../http/helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from '../../http/helpers/upstreams.ts';
import { startSpanReceiver, type SpanReceiver, type ZipkinJsonSpan } from './span-receiver.ts';
import { zipkinTracing } from './tracing-config.ts';

interface Hop {
  readonly name: string;
  readonly statPrefix: string;
  readonly service: string;
  readonly spawnUpstreamSpan?: boolean;
}

/** From the edge inwards; each hop forwards to the next, the last one to the app. */
const HOPS: readonly Hop[] = [
  {
    name: 'gateway',
    statPrefix: 'outbound_0.0.0.0_80',
    service: 'istio-ingressgateway.istio-system',
    spawnUpstreamSpan: true,
  },
  { name: 'frontend-in', statPrefix: 'inbound_0.0.0.0_8080', service: 'frontend.shop' },
  { name: 'frontend-out', statPrefix: 'outbound_0.0.0.0_9080', service: 'frontend.shop' },
  { name: 'product-in', statPrefix: 'inbound_0.0.0.0_9080', service: 'product.shop' },
];

describe('a trace through a chain of proxies', { timeout: 30_000 }, () => {
  let app: Upstream;
  let receiver: SpanReceiver;
  let clusters: TestClusters;
  const proxies: ProxyHarness[] = [];
  const outputs: ProxyObservability[] = [];

  before(async () => {
    app = await startHttp1Upstream('product');
    receiver = await startSpanReceiver();
    clusters = new TestClusters();
    clusters.add('zipkin', { ports: [receiver.port] });
    let next = 'app';
    clusters.add('app', { ports: [app.port] });
    for (const hop of [...HOPS].reverse()) {
      const observability = new ProxyObservability({
        clusters,
        stats: new MemoryStats(),
        identity: { nodeId: `sidecar~127.0.0.1~${hop.name}`, serviceName: hop.service },
      });
      outputs.push(observability);
      const route = {
        name: `${hop.name}-route`,
        match: { pathSpecifier: { case: 'prefix' as const, value: '/' } },
        action: {
          case: 'route' as const,
          value: { clusterSpecifier: { case: 'cluster' as const, value: next } },
        },
      };
      const tracing = zipkinTracing({
        cluster: 'zipkin',
        spawnUpstreamSpan: hop.spawnUpstreamSpan ?? false,
        customTags: [
          {
            tag: 'istio.canonical_service',
            type: { case: 'literal', value: { value: hop.service.split('.')[0] } },
          },
        ],
      });
      const proxy = await startProxy(
        hcmConfig(routeConfig([route]), { statPrefix: hop.statPrefix, tracing }),
        clusters,
        {
          observability,
        },
      );
      proxies.push(proxy);
      clusters.add(`to-${hop.name}`, { ports: [proxy.port] });
      next = `to-${hop.name}`;
    }
  });

  after(async () => {
    for (const proxy of proxies) await proxy.close();
    for (const output of outputs) await output.close();
    await clusters?.close();
    await receiver?.close();
    await app?.close();
  });

  const gateway = (): ProxyHarness => proxies[proxies.length - 1] as ProxyHarness;

  /** Sends one request at the gateway; returns the spans of its trace and what the app received. */
  async function traced(headers: Record<string, string>) {
    const before = receiver.zipkinSpans().length;
    const before2 = app.received.length;
    const res = await request(`${gateway().url}/products/7`, {
      headers: { host: 'shop.example.com', ...headers },
    });
    assert.equal(res.statusCode, 200);
    await res.body.text();
    // Hops complete from the inside out; wait until the gateway's own stream is done.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all(outputs.map((o) => o.flush()));
    const spans = (await receiver.waitForSpans(before + 5)).slice(before);
    return { spans, upstreamHeaders: app.received[before2]?.headers ?? {} };
  }

  /** Orders the spans root first by following parent ids, and checks they form one chain. */
  function chain(spans: readonly ZipkinJsonSpan[], rootParent?: string): ZipkinJsonSpan[] {
    const ordered: ZipkinJsonSpan[] = [];
    let parent = rootParent;
    for (let i = 0; i < spans.length; i++) {
      const child = spans.find((s) => s.parentId === parent);
      assert.ok(
        child,
        `no span with parent ${parent ?? '(none)'} in ${JSON.stringify(spans.map((s) => [s.id, s.parentId]))}`,
      );
      ordered.push(child);
      parent = child.id;
    }
    return ordered;
  }

  function assertHopChain(ordered: readonly ZipkinJsonSpan[]): void {
    assert.deepEqual(
      ordered.map((s) => [s.localEndpoint.serviceName, s.kind]),
      [
        ['istio-ingressgateway.istio-system', 'SERVER'],
        ['istio-ingressgateway.istio-system', 'CLIENT'],
        ['frontend.shop', 'SERVER'],
        ['frontend.shop', 'CLIENT'],
        ['product.shop', 'SERVER'],
      ],
    );
    const traceIds = new Set(ordered.map((s) => s.traceId));
    assert.equal(traceIds.size, 1, 'one trace');
    for (const span of ordered) {
      assert.equal(span.tags['http.method'], 'GET');
      assert.equal(span.tags['http.status_code'], '200');
      assert.equal(span.tags.component, 'proxy');
      assert.equal(span.tags['http.url'], 'http://shop.example.com/products/7');
      assert.match(span.tags.node_id ?? '', /^sidecar~127\.0\.0\.1~/);
      assert.ok(span.duration >= 1);
    }
    assert.equal(ordered[4]?.tags['istio.canonical_service'], 'product');
    assert.equal(ordered[4]?.tags.upstream_cluster, 'app');
    // One request id for the whole trace, with the sampled bit set.
    const ids = new Set(ordered.map((s) => s.tags['guid:x-request-id']));
    assert.equal(ids.size, 1);
    assert.equal([...ids][0]?.[14], '9');
  }

  it('starts a trace at the gateway and propagates B3 headers hop by hop', async () => {
    const { spans, upstreamHeaders } = await traced({});
    const ordered = chain(spans);
    assertHopChain(ordered);
    const last = ordered[4] as ZipkinJsonSpan;
    assert.equal(upstreamHeaders['x-b3-traceid'], last.traceId);
    assert.equal(upstreamHeaders['x-b3-spanid'], last.id);
    assert.equal(upstreamHeaders['x-b3-sampled'], '1');
    assert.equal(last.traceId.length, 32);
  });

  it('continues a W3C trace the client started, keeping tracestate', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    const { spans, upstreamHeaders } = await traced({
      traceparent: `00-${traceId}-${parent}-01`,
      tracestate: 'vendor=opaque',
    });
    const ordered = chain(spans, parent);
    assertHopChain(ordered);
    assert.equal(ordered[0]?.traceId, traceId);
    assert.equal(upstreamHeaders.traceparent, `00-${traceId}-${ordered[4]?.id ?? ''}-01`);
    assert.equal(upstreamHeaders.tracestate, 'vendor=opaque');
    assert.equal(upstreamHeaders['x-b3-traceid'], undefined);
  });

  it('continues a trace sent in the single b3 header', async () => {
    const traceId = '80f198ee56343ba864fe8b2a57d3eff7';
    const parent = 'e457b5a2e4d86bd1';
    const { spans, upstreamHeaders } = await traced({ b3: `${traceId}-${parent}-1` });
    const ordered = chain(spans, parent);
    assertHopChain(ordered);
    assert.match(
      String(upstreamHeaders.b3),
      new RegExp(`^${traceId}-${ordered[4]?.id ?? ''}-1-${ordered[3]?.id ?? ''}$`),
    );
  });

  it('reports nothing when the caller decided not to sample, and passes that decision on', async () => {
    const before = receiver.zipkinSpans().length;
    const res = await request(`${gateway().url}/products/8`, {
      headers: { 'x-b3-traceid': '463ac35c9f6413ad', 'x-b3-spanid': 'a2fb4a1d1a96d312', 'x-b3-sampled': '0' },
    });
    await res.body.text();
    await Promise.all(outputs.map((o) => o.flush()));
    assert.equal(receiver.zipkinSpans().length, before);
    const headers = app.received[app.received.length - 1]?.headers ?? {};
    assert.equal(headers['x-b3-traceid'], '463ac35c9f6413ad');
    assert.equal(headers['x-b3-sampled'], '0');
  });
});
