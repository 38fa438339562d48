// What happened to one HTTP stream, filled in by the connection manager, filters and router, and handed to
// access logs and metrics when the stream completes (the `onStreamComplete` hook of the connection manager).
import type { HeaderMap } from './headers.ts';
import type { DownstreamConnectionInfo } from './http-connection-handler.ts';

/** Envoy's response flags, with Envoy's short names. */
export type ResponseFlag =
  | 'UH' // no healthy upstream host
  | 'UF' // upstream connection failure
  | 'UO' // upstream overflow (circuit breaker)
  | 'NR' // no route
  | 'URX' // upstream retry limit exceeded
  | 'UT' // upstream request timeout
  | 'DC' // downstream connection termination
  | 'FI' // fault injected: abort
  | 'DI' // fault injected: delay
  | 'UC' // upstream connection termination
  | 'UR' // upstream remote reset
  | 'NC' // upstream cluster not found
  | 'LR' // local reset
  | 'DPE' // downstream protocol error
  | 'SI' // stream idle timeout
  | 'RL' // rate limited
  | 'UAEX' // unauthorized (external authorization)
  | 'RLSE' // rate limit service error
  | 'DT'; // max connection duration reached (tcp_proxy max_downstream_connection_duration)

export interface StreamInfo {
  /** Epoch milliseconds at which the request headers arrived. */
  readonly startTime: number;
  /** Monotonic start, for the duration. */
  readonly startMonotonic: number;
  /** Set when the stream completes. */
  durationMs?: number;
  /** 'tcp' for a tcp_proxy session logged through the same access loggers. */
  protocol: 'http1' | 'http2' | 'tcp';
  responseCode?: number;
  /** Why the response code was chosen (`via_upstream`, `route_not_found`, …), as Envoy's details. */
  responseCodeDetails?: string;
  readonly responseFlags: Set<ResponseFlag>;
  upstreamHost?: string;
  upstreamCluster?: string;
  /** Request body bytes received from downstream. */
  bytesReceived: number;
  /** Response body bytes sent downstream. */
  bytesSent: number;
  routeName?: string;
  virtualHostName?: string;
  requestId?: string;
  /** Number of upstream attempts (1 + retries). */
  attemptCount: number;
  readonly downstream: DownstreamConnectionInfo;
  /** Client address after X-Forwarded-For processing (`use_remote_address`, `xff_num_trusted_hops`). */
  downstreamRemoteAddress: string;
  /** Request headers as canonicalized and forwarded (for `%REQ(...)%`). */
  requestHeaders?: HeaderMap;
  responseHeaders?: HeaderMap;
  /** Filter-written metadata by filter name (e.g. `envoy.filters.http.jwt_authn`), read by route matching. */
  readonly dynamicMetadata: Map<string, Record<string, unknown>>;
}

export function createStreamInfo(
  downstream: DownstreamConnectionInfo,
  protocol: 'http1' | 'http2',
  now: number,
  monotonic: number,
): StreamInfo {
  return {
    startTime: now,
    startMonotonic: monotonic,
    protocol,
    responseFlags: new Set(),
    bytesReceived: 0,
    bytesSent: 0,
    attemptCount: 0,
    downstream,
    downstreamRemoteAddress: downstream.remoteAddress,
    dynamicMetadata: new Map(),
  };
}

/** Envoy's `%RESPONSE_FLAGS%` rendering: comma-separated, `-` when none. */
export function formatResponseFlags(info: StreamInfo): string {
  return info.responseFlags.size === 0 ? '-' : [...info.responseFlags].join(',');
}
