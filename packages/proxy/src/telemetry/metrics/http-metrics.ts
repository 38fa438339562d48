// Istio's HTTP metrics for one connection manager: the metadata exchange on request and response headers,
// and one record per stream at its end, reported as the client (`source`) or the server (`destination`).
import { firstValue, type HeaderMap } from '../../http/headers.ts';
import { formatResponseFlags, type StreamInfo } from '../../http/stream-info.ts';
import type { HistogramSink } from '../../stats/stats-store.ts';
import { GrpcMessageCounter } from './grpc-message-counter.ts';
import { HTTP_LABELS, HTTP_METRICS } from './istio-metrics.ts';
import {
  destinationServiceFromCluster,
  destinationServiceFromHost,
  UNKNOWN_PEER,
  type DestinationService,
  type MetricAttributes,
} from './metric-attributes.ts';
import { createSample, METRIC_INDEX, MetricRecorder } from './metric-recorder.ts';
import { putPeerHeaders, takePeerMetadata, UNKNOWN, type PeerMetadata } from './peer-metadata.ts';
import type { CompiledStatsConfig } from './stats-config.ts';

export class HttpMetrics {
  readonly config: CompiledStatsConfig;
  readonly #recorder: MetricRecorder;
  readonly #sample = createSample();

  constructor(store: HistogramSink, config: CompiledStatsConfig) {
    this.config = config;
    this.#recorder = new MetricRecorder(store, config, HTTP_METRICS, HTTP_LABELS);
  }

  createStream(): HttpStreamMetrics {
    return new HttpStreamMetrics(this);
  }

  /** Called once per stream, at its end. */
  record(stream: HttpStreamMetrics, info: StreamInfo, durationMs: number): void {
    if (!this.#recorder.active) return;
    const attrs = stream.attributes(info);
    const sample = this.#sample;
    const grpc = attrs.requestProtocol === 'grpc';
    sample[METRIC_INDEX.REQUEST_COUNT] = 1;
    sample[METRIC_INDEX.REQUEST_DURATION] = durationMs;
    sample[METRIC_INDEX.REQUEST_SIZE] = info.bytesReceived;
    sample[METRIC_INDEX.RESPONSE_SIZE] = info.bytesSent;
    sample[METRIC_INDEX.GRPC_REQUEST_MESSAGES] = grpc ? stream.requestMessages.count : Number.NaN;
    sample[METRIC_INDEX.GRPC_RESPONSE_MESSAGES] = grpc ? stream.responseMessages.count : Number.NaN;
    this.#recorder.record(attrs, sample);
  }
}

/** One stream's view: what the exchange told us and what gRPC status and messages it carried. */
export class HttpStreamMetrics {
  readonly #metrics: HttpMetrics;
  #peer: PeerMetadata | undefined;
  #grpc = false;
  #grpcStatus: string | undefined;
  #authority: string | undefined;
  readonly requestMessages = new GrpcMessageCounter();
  readonly responseMessages = new GrpcMessageCounter();

  constructor(metrics: HttpMetrics) {
    this.#metrics = metrics;
  }

  get grpc(): boolean {
    return this.#grpc;
  }

  /**
   * Request headers on their way upstream. A client (or gateway) drops whatever exchange headers arrived —
   * an app or an outside client cannot speak for this proxy — and sends its own; a server keeps the
   * client's metadata and removes it before the request reaches the app.
   */
  onRequestHeaders(headers: HeaderMap): void {
    const config = this.#metrics.config;
    const received = takePeerMetadata(headers);
    if (config.reporter === 'source') putPeerHeaders(headers, config.localHeaders);
    else this.#peer = received;
    this.#grpc = (firstValue(headers, 'content-type') ?? '').startsWith('application/grpc');
    this.#authority = firstValue(headers, ':authority');
  }

  /** Response headers on their way to the client: the server announces itself, the client learns and strips. */
  onResponseHeaders(headers: HeaderMap): void {
    const config = this.#metrics.config;
    const received = takePeerMetadata(headers);
    if (config.reporter === 'source') this.#peer = received;
    else putPeerHeaders(headers, config.localHeaders);
    this.#noteGrpcStatus(headers);
  }

  onResponseTrailers(trailers: HeaderMap): void {
    this.#noteGrpcStatus(trailers);
  }

  #noteGrpcStatus(headers: HeaderMap): void {
    const status = firstValue(headers, 'grpc-status');
    if (status !== undefined) this.#grpcStatus = status.trim();
  }

  attributes(info: StreamInfo): MetricAttributes {
    const config = this.#metrics.config;
    const local = config.local;
    const peer = this.#peer;
    const client = config.reporter === 'source';
    const mutualTls = !client && info.downstream.tls && info.downstream.peerPrincipal !== undefined;
    const headers = info.requestHeaders;
    return {
      reporter: config.reporter,
      source: client ? local : (peer ?? UNKNOWN_PEER),
      destination: client ? (peer ?? UNKNOWN_PEER) : local,
      peer,
      sourcePrincipal: client ? config.principal : (info.downstream.peerPrincipal ?? UNKNOWN),
      destinationPrincipal: client ? UNKNOWN : mutualTls ? config.principal : UNKNOWN,
      destinationService: this.#destinationService(info, client, peer),
      requestProtocol: this.#grpc ? 'grpc' : 'http',
      responseCode: String(info.responseCode ?? 0),
      grpcStatus: this.#grpc ? (this.#grpcStatus ?? grpcStatusFrom(info)) : '',
      responseFlags: formatResponseFlags(info),
      securityPolicy: client ? 'unknown' : mutualTls ? 'mutual_tls' : 'none',
      ...(headers ? { requestHeaders: headers } : {}),
      ...(info.responseHeaders ? { responseHeaders: info.responseHeaders } : {}),
    };
  }

  #destinationService(info: StreamInfo, client: boolean, peer: PeerMetadata | undefined): DestinationService {
    const local = this.#metrics.config.local;
    const namespace = client ? (peer?.namespace ?? UNKNOWN) : local.namespace;
    const host = stripPort(this.#authority ?? '');
    if (client) {
      const fromCluster = destinationServiceFromCluster(info.upstreamCluster, namespace);
      if (fromCluster) return fromCluster;
    } else {
      const served = this.#metrics.config.services;
      if (served.length > 0)
        return served.find((s) => host === s.host || host === s.name) ?? (served[0] as DestinationService);
    }
    return host === ''
      ? destinationServiceFromHost(UNKNOWN, namespace)
      : destinationServiceFromHost(host, namespace);
  }
}

function grpcStatusFrom(info: StreamInfo): string {
  const status = info.responseHeaders ? firstValue(info.responseHeaders, 'grpc-status') : undefined;
  return status?.trim() ?? '';
}

function stripPort(authority: string): string {
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1);
  const colon = authority.lastIndexOf(':');
  return (colon < 0 ? authority : authority.slice(0, colon)).toLowerCase();
}
