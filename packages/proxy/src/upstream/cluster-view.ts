// What the HTTP router and tcp_proxy see of a cluster: host choice, circuit-breaker admission, one request
// attempt to one host, and outcome reporting for outlier detection. Implemented by the cluster manager.
import type { Duplex } from 'node:stream';

export interface UpstreamHost {
  /** `ip:port` (or the unix path), unique within the cluster. */
  readonly id: string;
  readonly address: string;
  readonly port: number;
  readonly locality?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface LoadBalancerContext {
  /** Hash computed from the route's hash policies (consistent hashing), when any. */
  readonly hashKey?: string;
  /** Hosts already tried by this request (retries avoid them when others exist). */
  readonly exclude?: ReadonlySet<string>;
  /**
   * ORIGINAL_DST clusters with `use_http_header`: the `x-envoy-original-dst-host` request header (`ip:port`),
   * as received. Ignored by every other cluster.
   */
  readonly originalDestination?: string;
  /** ORIGINAL_DST clusters: the downstream connection's original destination (`ip:port`), when known. */
  readonly downstreamOriginalDestination?: string;
}

/** Held while a request (or retry, or pending request) counts against a circuit breaker; release once. */
export interface ResourceGuard {
  release(): void;
}

export type AttemptOutcome =
  | { readonly kind: 'response'; readonly status: number }
  | { readonly kind: 'connect-failure' | 'reset' | 'timeout' | 'refused-stream' };

export interface UpstreamHttpRequest {
  readonly method: string;
  /** Path with query, as forwarded. */
  readonly path: string;
  readonly authority: string;
  /** Lower-case names; multi-valued headers as arrays. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** Request body; undefined for bodiless requests. Buffered bodies allow retries. */
  readonly body?: Uint8Array | AsyncIterable<Uint8Array>;
  readonly protocol: 'http1' | 'http2';
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** Iterable by anyone; the connection pools' bodies are also a `StreamedResponseBody`. */
  readonly body: AsyncIterable<Uint8Array>;
  readonly trailers?: Promise<Readonly<Record<string, string>>>;
}

/** Where a streamed body's chunks go, in order; exactly one of `end` and `error` ends it. */
export interface ResponseBodySink {
  /** False when the consumer is behind: the connection pauses until the body's `resume()`. */
  data(chunk: Uint8Array): boolean;
  end(trailers: Readonly<Record<string, string>>): void;
  /**
   * Optional: the last chunk and the end together, used when both are known at once (the body completed
   * before the consumer attached), so the downstream can write them in one go. Without it, `data` + `end`.
   */
  last?(chunk: Uint8Array, trailers: Readonly<Record<string, string>>): void;
  error(error: Error): void;
}

/** A body consumed by callbacks instead of promises, for the request path. */
export interface StreamedResponseBody extends AsyncIterable<Uint8Array> {
  attach(sink: ResponseBodySink): void;
  resume(): void;
  /** The consumer gives up: aborts the upstream request unless it completed. */
  cancel(reason: Error): void;
}

export function isStreamedBody(body: AsyncIterable<Uint8Array>): body is StreamedResponseBody {
  return typeof (body as Partial<StreamedResponseBody>).attach === 'function';
}

/**
 * What an attempt's `response` promise (and `connect()`) rejects with: the outcome to report and to decide
 * retries and response flags on (`connect-failure` → UF, `reset` → UR, `refused-stream` is always retriable).
 */
export interface UpstreamAttemptError extends Error {
  readonly outcome: Exclude<AttemptOutcome, { readonly kind: 'response' }>;
}

/** Callbacks for an attempt's outcome, as its `response` promise would settle (always asynchronously). */
export interface AttemptListener {
  onResponse(response: UpstreamResponse): void;
  onError(error: unknown): void;
}

export interface UpstreamAttempt {
  readonly response: Promise<UpstreamResponse>;
  /**
   * Optional: the outcome through callbacks instead of the promise, for the request path (no promise, no
   * rejection handler). Called at most once, before the outcome, by a consumer that then never reads
   * `response`.
   */
  listen?(listener: AttemptListener): void;
  /** Cancels the attempt (timeouts, downstream reset); the connection is not reused. */
  cancel(reason: string): void;
}

export interface ClusterView {
  readonly name: string;
  /** ORIGINAL_DST: hosts come from each request's destination (Istio's PassthroughCluster). */
  readonly forwardsToOriginalDestination?: boolean;
  /** Undefined when no healthy host can be chosen (→ 503 `UH`). */
  selectHost(context: LoadBalancerContext): UpstreamHost | undefined;
  /** Circuit breakers; undefined when over the limit (→ 503 `UO`). */
  admitRequest(): ResourceGuard | undefined;
  admitRetry(): ResourceGuard | undefined;
  /** One HTTP request to one host through the cluster's connection pool. */
  sendHttp(host: UpstreamHost, request: UpstreamHttpRequest): UpstreamAttempt;
  /** A raw TCP (or TLS, per the cluster's transport socket) connection for tcp_proxy. */
  connect(host: UpstreamHost): Promise<Duplex>;
  /** Feeds outlier detection and stats. */
  recordOutcome(host: UpstreamHost, outcome: AttemptOutcome): void;
}

export interface ClusterManagerView {
  cluster(name: string): ClusterView | undefined;
}
