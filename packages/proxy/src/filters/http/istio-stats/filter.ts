// The per-stream `istio.stats` filter: exchanges peer metadata on the headers, counts gRPC messages, and
// records the stream's metrics when it ends (completed, reset or answered locally).
import type { HeaderMap } from '../../../http/headers.ts';
import type { HttpMetrics, HttpStreamMetrics } from '../../../telemetry/metrics/http-metrics.ts';
import type { FilterCallbacks, FilterStatus, HttpStreamFilter } from '../http-filter.ts';

export class IstioStatsFilter implements HttpStreamFilter {
  readonly #metrics: HttpMetrics;
  readonly #callbacks: FilterCallbacks;
  readonly #stream: HttpStreamMetrics;

  constructor(metrics: HttpMetrics, callbacks: FilterCallbacks) {
    this.#metrics = metrics;
    this.#callbacks = callbacks;
    this.#stream = metrics.createStream();
  }

  decodeHeaders(headers: HeaderMap): FilterStatus {
    this.#stream.onRequestHeaders(headers);
    return 'continue';
  }

  decodeData(chunk: Uint8Array): FilterStatus {
    if (this.#stream.grpc) this.#stream.requestMessages.push(chunk);
    return 'continue';
  }

  encodeHeaders(headers: HeaderMap): FilterStatus {
    this.#stream.onResponseHeaders(headers);
    return 'continue';
  }

  encodeData(chunk: Uint8Array): void {
    if (this.#stream.grpc) this.#stream.responseMessages.push(chunk);
  }

  encodeTrailers(trailers: HeaderMap): void {
    this.#stream.onResponseTrailers(trailers);
  }

  onDestroy(): void {
    const info = this.#callbacks.streamInfo;
    this.#metrics.record(this.#stream, info, this.#callbacks.clock.monotonic() - info.startMonotonic);
  }
}
