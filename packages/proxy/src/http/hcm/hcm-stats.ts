// The connection manager's counters and gauges (`http.<stat_prefix>.downstream_rq_total` …), resolved once
// per connection manager.
import type { Counter, Gauge, StatsSink } from '../../stats/stats-sink.ts';

export interface HcmStats {
  readonly cxTotal: Counter;
  readonly cxHttp1Total: Counter;
  readonly cxHttp2Total: Counter;
  readonly cxActive: Gauge;
  readonly cxProtocolError: Counter;
  /** Connections that closed while their connection manager drained (Connection: close, GOAWAY, deadline). */
  readonly cxDrainClose: Counter;
  readonly rqTotal: Counter;
  readonly rqHttp1Total: Counter;
  readonly rqHttp2Total: Counter;
  readonly rqActive: Gauge;
  /** By status class: index 1 → 1xx … 5 → 5xx. */
  readonly rqByClass: readonly Counter[];
  readonly rqCompleted: Counter;
  readonly rqRxReset: Counter;
  readonly rqTxReset: Counter;
  readonly rqHeaderTimeout: Counter;
  /** Streams ended by stream_idle_timeout (or a route's idle_timeout). */
  readonly rqIdleTimeout: Counter;
  readonly rqTooManyHeaders: Counter;
  /** HTTP/1.1 header block over the size or count limit (431 from the parser). */
  readonly rqHeadersTooLarge: Counter;
  readonly rqFailedPathNormalization: Counter;
  readonly rqRedirectedWithNormalizedPath: Counter;
  readonly noRoute: Counter;
  /** Envoy's name; counted for CONNECT tunnels accepted on an HTTP proxy listener. */
  readonly cxUpgradesTotal: Counter;
  readonly rqOverloadClose: Counter;
  /** HTTP/2 requests reset for a header field the codec found invalid (Envoy's `http2.rx_messaging_error`). */
  readonly rxMessagingError: Counter;
  /** HTTP/2 connections closed for resetting most of their streams right after opening them. */
  readonly rqTooManyPrematureResets: Counter;
}

export function createHcmStats(stats: StatsSink, prefix: string): HcmStats {
  const c = (name: string): Counter => stats.counter(`${prefix}${name}`);
  return {
    cxTotal: c('downstream_cx_total'),
    cxHttp1Total: c('downstream_cx_http1_total'),
    cxHttp2Total: c('downstream_cx_http2_total'),
    cxActive: stats.gauge(`${prefix}downstream_cx_active`),
    cxProtocolError: c('downstream_cx_protocol_error'),
    cxDrainClose: c('downstream_cx_drain_close'),
    rqTotal: c('downstream_rq_total'),
    rqHttp1Total: c('downstream_rq_http1_total'),
    rqHttp2Total: c('downstream_rq_http2_total'),
    rqActive: stats.gauge(`${prefix}downstream_rq_active`),
    rqByClass: ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'].map((cls) => c(`downstream_rq_${cls}`)),
    rqCompleted: c('downstream_rq_completed'),
    rqRxReset: c('downstream_rq_rx_reset'),
    rqTxReset: c('downstream_rq_tx_reset'),
    rqHeaderTimeout: c('downstream_rq_header_timeout'),
    rqIdleTimeout: c('downstream_rq_idle_timeout'),
    rqTooManyHeaders: c('downstream_rq_too_many_headers'),
    rqHeadersTooLarge: c('downstream_rq_headers_too_large'),
    rqFailedPathNormalization: c('downstream_rq_failed_path_normalization'),
    rqRedirectedWithNormalizedPath: c('downstream_rq_redirected_with_normalized_path'),
    noRoute: c('no_route'),
    cxUpgradesTotal: c('downstream_cx_upgrades_total'),
    rqOverloadClose: c('downstream_rq_overload_close'),
    rxMessagingError: stats.counter('http2.rx_messaging_error'),
    rqTooManyPrematureResets: c('downstream_rq_too_many_premature_resets'),
  };
}
