// Tracing of one hop through a connection manager. At the start of a stream it reads the caller's trace
// context, decides sampling, and rewrites the request's trace headers so the next hop becomes this hop's
// child; when the stream completes it reports this hop's span(s) with Envoy's and Istio's tags.
import { firstValue, type HeaderMap } from '../../http/headers.ts';
import { formatResponseFlags, type StreamInfo } from '../../http/stream-info.ts';
import type { ProxyObservability } from './proxy-observability.ts';
import { decideSampling, markRequestIdSampled } from './sampling.ts';
import type { FinishedSpan, SpanKind } from './span.ts';
import { newSpanId, newTraceId } from './span-ids.ts';
import type { SpanExporter } from './span-exporter.ts';
import { bareSamplingDecision, extractTraceContext, injectTraceContext } from './trace-context.ts';
import type { TracingConfig } from './tracer-config.ts';

export interface ActiveTrace {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
  finish(info: StreamInfo): void;
}

interface HopState {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId?: string;
  /** The spawned upstream span, for gateways. */
  readonly clientSpanId?: string;
}

export class HopTracer {
  readonly #config: TracingConfig;
  readonly #outputs: ProxyObservability;
  readonly #kind: SpanKind;
  readonly #exporter: SpanExporter | undefined;
  readonly #random: () => number;

  /** `kind`: SERVER for inbound connection managers, CLIENT for outbound ones (and gateways' upstream span). */
  constructor(config: TracingConfig, outputs: ProxyObservability, kind: SpanKind, random: () => number) {
    this.#config = config;
    this.#outputs = outputs;
    this.#kind = config.spawnUpstreamSpan ? 'SERVER' : kind;
    this.#exporter = config.collector ? outputs.exporter(config.collector) : undefined;
    this.#random = random;
  }

  start(headers: HeaderMap, info: StreamInfo): ActiveTrace {
    const config = this.#config;
    const incoming = extractTraceContext(headers);
    const callerDecision = incoming?.sampled ?? bareSamplingDecision(headers);
    const requestId = firstValue(headers, 'x-request-id');
    const sampled = decideSampling({
      ...(callerDecision !== undefined ? { callerDecision } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      randomPercent: config.randomPercent,
      overallPercent: config.overallPercent,
      useRequestId: true,
      random: this.#random,
    });
    if (sampled && requestId !== undefined) {
      const marked = markRequestIdSampled(requestId);
      headers['x-request-id'] = marked;
      info.requestId = marked;
    }
    const state: HopState = {
      traceId: incoming?.traceId ?? newTraceId(config.collector?.traceId128bit ?? true),
      spanId: newSpanId(),
      ...(incoming ? { parentId: incoming.spanId } : {}),
      ...(config.spawnUpstreamSpan ? { clientSpanId: newSpanId() } : {}),
    };
    injectTraceContext(
      headers,
      {
        traceId: state.traceId,
        spanId: state.clientSpanId ?? state.spanId,
        // The parent of the span the next hop continues from: this hop's span, or the caller's.
        ...(state.clientSpanId
          ? { parentSpanId: state.spanId }
          : state.parentId
            ? { parentSpanId: state.parentId }
            : {}),
        sampled,
        ...(incoming?.tracestate ? { tracestate: incoming.tracestate } : {}),
      },
      incoming?.format ?? config.collector?.nativeFormat ?? 'b3',
    );
    return {
      traceId: state.traceId,
      spanId: state.spanId,
      sampled,
      finish: (done) => {
        if (sampled && this.#exporter) this.#report(this.#exporter, state, done);
      },
    };
  }

  #report(exporter: SpanExporter, state: HopState, info: StreamInfo): void {
    const identity = this.#outputs.identity;
    const tags = this.#tags(info);
    const status = info.responseCode ?? 0;
    const error = status === 0 || status >= 500;
    const timestampMicros = Math.floor(info.startTime * 1000);
    const durationMicros = Math.max(1, Math.round((info.durationMs ?? 0) * 1000));
    const serviceName = this.#config.collector?.serviceName ?? identity.serviceName;
    const authority = firstValue(info.requestHeaders ?? {}, ':authority') ?? '';
    exporter.export({
      traceId: state.traceId,
      spanId: state.spanId,
      ...(state.parentId ? { parentId: state.parentId } : {}),
      name: `${authority}/*`,
      kind: this.#kind,
      timestampMicros,
      durationMicros,
      serviceName,
      remoteAddress: this.#kind === 'SERVER' ? info.downstreamRemoteAddress : info.upstreamHost,
      tags,
      error,
    } satisfies FinishedSpan);
    if (state.clientSpanId)
      exporter.export({
        traceId: state.traceId,
        spanId: state.clientSpanId,
        parentId: state.spanId,
        name: `router ${info.upstreamCluster ?? '-'} egress`,
        kind: 'CLIENT',
        timestampMicros,
        durationMicros,
        serviceName,
        ...(info.upstreamHost ? { remoteAddress: info.upstreamHost } : {}),
        tags,
        error,
      });
  }

  #tags(info: StreamInfo): Record<string, string> {
    const identity = this.#outputs.identity;
    const request = info.requestHeaders ?? {};
    const path = firstValue(request, ':path') ?? '';
    const url = `${firstValue(request, ':scheme') ?? 'http'}://${firstValue(request, ':authority') ?? ''}${path}`;
    const tags: Record<string, string> = {
      component: 'proxy',
      node_id: identity.nodeId,
      ...(identity.zone ? { zone: identity.zone } : {}),
      'guid:x-request-id': info.requestId ?? '',
      'http.url': url.slice(0, this.#config.maxPathTagLength),
      'http.method': firstValue(request, ':method') ?? '',
      'http.protocol': info.protocol === 'http2' ? 'HTTP/2' : 'HTTP/1.1',
      downstream_cluster: firstValue(request, 'x-envoy-downstream-service-cluster') ?? '-',
      user_agent: firstValue(request, 'user-agent') ?? '-',
      'peer.address': info.downstreamRemoteAddress,
      request_size: String(info.bytesReceived),
      response_size: String(info.bytesSent),
      'http.status_code': String(info.responseCode ?? 0),
      response_flags: formatResponseFlags(info),
      upstream_cluster: info.upstreamCluster ?? '-',
      'upstream_cluster.name': info.upstreamCluster ?? '-',
    };
    for (const [name, read] of this.#config.customTags) {
      const value = read(request);
      if (value !== undefined) tags[name] = value;
    }
    return tags;
  }
}
