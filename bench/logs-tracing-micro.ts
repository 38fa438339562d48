// Per-request cost of the proxy's access-log and tracing code in isolation (no sockets): rendering Istio's
// TEXT and JSON log formats, evaluating a CEL filter, and one hop's tracing (context extraction, sampling,
// header injection, span tags and queueing). Reported as microseconds per operation, median of 5 runs.
// Run: node bench/logs-tracing-micro.ts [--iterations 100000]
import { parseArgs } from 'node:util';
import { compileCelFilter } from '../packages/proxy/src/telemetry/access-log/cel-filter.ts';
import {
  compileJsonFormat,
  compileTextFormat,
} from '../packages/proxy/src/telemetry/access-log/log-formatter.ts';
import { createStreamInfo, type StreamInfo } from '../packages/proxy/src/http/stream-info.ts';
import { HopTracer } from '../packages/proxy/src/telemetry/tracing/hop-tracer.ts';
import { ProxyObservability } from '../packages/proxy/src/telemetry/tracing/proxy-observability.ts';
import type { StatsSink } from '../packages/proxy/src/stats/stats-sink.ts';
import {
  ISTIO_JSON_LOG_FORMAT,
  ISTIO_TEXT_LOG_FORMAT,
} from '../packages/translate/src/telemetry/logs-and-tracing/istio-log-formats.ts';

const { values: args } = parseArgs({ options: { iterations: { type: 'string', default: '100000' } } });
const N = Number(args.iterations);

const counter = { inc: () => {}, value: 0 };
const stats: StatsSink = {
  counter: () => counter,
  gauge: () => ({ set: () => {}, add: () => {}, value: 0 }),
};

function streamInfo(): StreamInfo {
  const info = createStreamInfo(
    { remoteAddress: '10.0.0.7', remotePort: 51234, localAddress: '10.0.0.5', localPort: 15006, tls: false },
    'http1',
    Date.now(),
    performance.now(),
  );
  info.requestHeaders = {
    ':method': 'GET',
    ':path': '/api/products/42?view=full',
    ':authority': 'products.shop.svc.cluster.local',
    ':scheme': 'http',
    'user-agent': 'curl/8.5.0',
    'x-request-id': '0d4e5f60-1a2b-4c3d-8e9f-001122334455',
    'x-forwarded-for': '10.0.0.7',
  };
  info.responseHeaders = { 'content-type': 'application/json', 'x-envoy-upstream-service-time': '3' };
  info.responseCode = 200;
  info.responseCodeDetails = 'via_upstream';
  info.upstreamHost = '10.0.1.9:8080';
  info.upstreamCluster = 'outbound|80||products.shop.svc.cluster.local';
  info.routeName = 'default';
  info.bytesSent = 512;
  info.durationMs = 4.2;
  return info;
}

function measure(name: string, op: () => void): void {
  for (let i = 0; i < N / 10; i++) op();
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const started = performance.now();
    for (let i = 0; i < N; i++) op();
    runs.push(((performance.now() - started) * 1000) / N);
  }
  runs.sort((a, b) => a - b);
  console.log(`${name.padEnd(48)} ${(runs[2] ?? 0).toFixed(2).padStart(7)} µs/op`);
}

const info = streamInfo();
const text = compileTextFormat(ISTIO_TEXT_LOG_FORMAT);
const json = compileJsonFormat(ISTIO_JSON_LOG_FORMAT);
const cel = compileCelFilter('response.code >= 400');
const celHeaders = compileCelFilter('response.code >= 400 || request.headers["x-debug"] == "1"');
if ('error' in text || 'error' in json || 'error' in cel || 'error' in celHeaders)
  throw new Error('compile failed');

const outputs = new ProxyObservability({
  clusters: { cluster: () => undefined },
  stats,
  identity: {
    nodeId: 'sidecar~10.0.0.5~products-1.shop~shop.svc.cluster.local',
    serviceName: 'products.shop',
  },
  exporter: { maxQueued: 1_000_000_000, batchSize: 1_000_000_000 },
});
const tracerFor = (percent: number) =>
  new HopTracer(
    {
      randomPercent: percent,
      overallPercent: 100,
      maxPathTagLength: 256,
      customTags: [['istio.canonical_service', () => 'products']],
      spawnUpstreamSpan: false,
      collector: {
        kind: 'zipkin',
        cluster: 'zipkin',
        path: '/api/v2/spans',
        authority: 'zipkin',
        traceId128bit: true,
        nativeFormat: 'b3',
      },
    },
    outputs,
    'SERVER',
    Math.random,
  );
const sampledTracer = tracerFor(100);
const unsampledTracer = tracerFor(0);
const hop = (tracer: HopTracer) => () => {
  const headers = { ...info.requestHeaders } as Record<string, string>;
  tracer.start(headers, info).finish(info);
};

console.log(`${N} iterations, median of 5 runs, node ${process.version}`);
measure('access log: Istio TEXT format', () => text(info));
measure('access log: Istio JSON format', () => json(info));
measure('access log: CEL filter response.code >= 400', () => cel(info));
measure('access log: CEL filter reading a request header', () => celHeaders(info));
measure('tracing: hop, not sampled (propagation only)', hop(unsampledTracer));
measure('tracing: hop, sampled (span built and queued)', hop(sampledTracer));
await outputs.close();
