// Envoy's listener stats (`listener.<address>.*`, and the inspectors' under it), resolved once per listener.
import type { Counter, Gauge, StatsSink } from '../stats/stats-sink.ts';
import { tlsStats, type TlsStats } from './tls/tls-stats.ts';

export interface ListenerStats {
  readonly prefix: string;
  readonly cxTotal: Counter;
  readonly cxDestroy: Counter;
  readonly cxActive: Gauge;
  readonly cxOverflow: Counter;
  readonly noFilterChainMatch: Counter;
  readonly preCxTimeout: Counter;
  readonly listenerFilterRemoteClose: Counter;
  readonly tlsFound: Counter;
  readonly tlsNotFound: Counter;
  readonly clientHelloTooLarge: Counter;
  readonly sniFound: Counter;
  readonly alpnFound: Counter;
  readonly http10Found: Counter;
  readonly http11Found: Counter;
  readonly http2Found: Counter;
  readonly httpNotFound: Counter;
  readonly tls: TlsStats;
}

export function listenerStats(sink: StatsSink, statName: string): ListenerStats {
  const prefix = `listener.${statName}.`;
  const c = (name: string): Counter => sink.counter(prefix + name);
  return {
    prefix,
    cxTotal: c('downstream_cx_total'),
    cxDestroy: c('downstream_cx_destroy'),
    cxActive: sink.gauge(`${prefix}downstream_cx_active`),
    cxOverflow: c('downstream_cx_overflow'),
    noFilterChainMatch: c('no_filter_chain_match'),
    preCxTimeout: c('downstream_pre_cx_timeout'),
    listenerFilterRemoteClose: c('downstream_listener_filter_remote_close'),
    tlsFound: c('tls_inspector.tls_found'),
    tlsNotFound: c('tls_inspector.tls_not_found'),
    clientHelloTooLarge: c('tls_inspector.client_hello_too_large'),
    sniFound: c('tls_inspector.sni_found'),
    alpnFound: c('tls_inspector.alpn_found'),
    http10Found: c('http_inspector.http10_found'),
    http11Found: c('http_inspector.http11_found'),
    http2Found: c('http_inspector.http2_found'),
    httpNotFound: c('http_inspector.http_not_found'),
    tls: tlsStats(sink, prefix),
  };
}
