// The shape of an HTTP filter, as in Envoy: a factory compiles typed config once; per stream it creates a
// filter whose callbacks return 'continue' or 'stop' (and resume later with continueDecoding/continueEncoding).
import type { Any } from '@bufbuild/protobuf/wkt';
import type { HttpClock, RandomSource } from '../../http/clock.ts';
import type { HeaderMap } from '../../http/headers.ts';
import type {
  CompiledRoute,
  PerFilterConfig,
  WeightedClusterEntry,
} from '../../http/routing/compiled-route.ts';
import type { ResponseFlag, StreamInfo } from '../../http/stream-info.ts';
import type { StatsSink } from '../../stats/stats-sink.ts';
import type { ClusterManagerView } from '../../upstream/cluster-view.ts';
import type { Duplex } from 'node:stream';

export type FilterStatus = 'continue' | 'stop';

export interface LocalReply {
  readonly status: number;
  /** Plain-text body; for gRPC requests it becomes `grpc-message`. */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly flag?: ResponseFlag;
  /** Envoy's response code details, e.g. `route_not_found`. */
  readonly details: string;
  /** gRPC status to answer gRPC requests with; mapped from `status` when unset. */
  readonly grpcStatus?: number;
}

/** A raw upgraded connection (WebSocket over HTTP/1.1): the router tunnels it instead of proxying messages. */
export interface UpgradeTunnel {
  readonly type: string;
  /** Takes over the downstream socket; `head` is what the client sent after the request head. */
  take(): { readonly socket: Duplex; readonly head: Uint8Array };
}

export interface FilterCallbacks {
  readonly streamInfo: StreamInfo;
  /** The canonical request headers, pseudo-headers included; filters may edit them. */
  readonly requestHeaders: HeaderMap;
  /** The route for the current headers; computed on first use and cached until clearRouteCache(). */
  route(): CompiledRoute | undefined;
  clearRouteCache(): void;
  /** This filter's most specific per-route config (route, virtual host, route configuration). */
  perFilterConfig(weighted?: WeightedClusterEntry): PerFilterConfig | undefined;
  /** Resumes the decode chain after this filter returned 'stop'. */
  continueDecoding(): void;
  /** Resumes the encode chain after this filter returned 'stop' from encodeHeaders. */
  continueEncoding(): void;
  /** Answers locally; the rest of the decode chain does not run. */
  sendLocalReply(reply: LocalReply): void;
  /** Sends response headers (`:status` included) through the encoder filters to the client. */
  encodeHeaders(headers: HeaderMap, endStream: boolean, expectTrailers?: boolean): void;
  /** False when the client is slow: wait for onDownstreamDrain before sending more. */
  encodeData(chunk: Uint8Array, endStream: boolean): boolean;
  encodeTrailers(trailers: HeaderMap): void;
  onDownstreamDrain(callback: () => void): void;
  /** Stops (true) or resumes (false) reading the request body from the client. */
  readDisable(disabled: boolean): void;
  /** Aborts the downstream stream (HTTP/2 RST_STREAM, HTTP/1.1 connection close). */
  resetStream(): void;
  readonly responseStarted: boolean;
  readonly upgrade?: UpgradeTunnel;
  readonly clock: HttpClock;
  readonly random: RandomSource;
}

export interface HttpStreamFilter {
  decodeHeaders(headers: HeaderMap, endStream: boolean): FilterStatus;
  /** 'stop' means the filter took the chunk (only terminal filters do). */
  decodeData?(chunk: Uint8Array, endStream: boolean): FilterStatus;
  encodeHeaders?(headers: HeaderMap, endStream: boolean): FilterStatus;
  /** Observes each response body chunk as it goes to the client (metrics: gRPC message counts); no buffering. */
  encodeData?(chunk: Uint8Array, endStream: boolean): void;
  /** Observes the response trailers as they go to the client (metrics: gRPC status). */
  encodeTrailers?(trailers: HeaderMap): void;
  /** The stream ended (completed or reset): release timers, guards and upstream requests. */
  onDestroy?(): void;
}

export interface CompiledHttpFilter {
  createFilter(callbacks: FilterCallbacks): HttpStreamFilter;
}

export interface FilterFactoryContext {
  /** The name the filter has in this chain (the key of its per-route configs). */
  readonly filterName: string;
  /** `http.<stat_prefix>.` */
  readonly statPrefix: string;
  readonly stats: StatsSink;
  readonly clusters: ClusterManagerView;
  readonly clock: HttpClock;
  readonly random: RandomSource;
}

export type FactoryResult<T> = { readonly value: T } | { readonly error: string };

export interface HttpFilterFactory {
  /** Envoy's canonical filter name. */
  readonly name: string;
  /** Type URLs of the filter-level config (inside a TypedStruct for Heddle-only filters). */
  readonly configTypeUrls: readonly string[];
  /** Type URLs this filter accepts in `typed_per_filter_config`. */
  readonly perRouteTypeUrls: readonly string[];
  /** Ends the chain (the router). */
  readonly terminal?: boolean;
  createFilterFactory(
    config: Any | undefined,
    context: FilterFactoryContext,
  ): FactoryResult<CompiledHttpFilter>;
  parsePerRouteConfig?(config: Any): FactoryResult<unknown>;
}
