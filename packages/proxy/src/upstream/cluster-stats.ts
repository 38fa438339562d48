// A cluster's stats, named like Envoy's (`cluster.<name>.upstream_rq_total` …), resolved once per cluster so
// the request path only increments numbers. Status-code counters are resolved on first use of each code.
import type { Counter, Gauge, StatsSink } from '../stats/stats-sink.ts';

export class ClusterStats {
  readonly upstream_rq_total: Counter;
  readonly upstream_rq_completed: Counter;
  readonly upstream_rq_active: Gauge;
  readonly upstream_rq_pending_total: Counter;
  readonly upstream_rq_pending_active: Gauge;
  readonly upstream_rq_pending_overflow: Counter;
  readonly upstream_rq_retry: Counter;
  readonly upstream_rq_retry_overflow: Counter;
  readonly upstream_rq_timeout: Counter;
  readonly upstream_rq_rx_reset: Counter;
  readonly upstream_rq_tx_reset: Counter;
  readonly upstream_rq_cancelled: Counter;
  readonly upstream_cx_total: Counter;
  readonly upstream_cx_active: Gauge;
  readonly upstream_cx_http1_total: Counter;
  readonly upstream_cx_http2_total: Counter;
  readonly upstream_cx_connect_fail: Counter;
  readonly upstream_cx_connect_timeout: Counter;
  readonly upstream_cx_destroy: Counter;
  readonly upstream_cx_overflow: Counter;
  readonly upstream_cx_none_healthy: Counter;
  readonly upstream_cx_max_requests: Counter;
  readonly lb_healthy_panic: Counter;
  readonly membership_change: Counter;
  readonly membership_healthy: Gauge;
  readonly membership_degraded: Gauge;
  readonly membership_total: Gauge;
  readonly cx_open: Gauge;
  readonly rq_pending_open: Gauge;
  readonly rq_open: Gauge;
  readonly rq_retry_open: Gauge;
  readonly outlier: OutlierStats;
  readonly #sink: StatsSink;
  readonly #prefix: string;
  readonly #byCode: (Counter | undefined)[] = [];
  readonly #byClass: (Counter | undefined)[] = [];

  constructor(sink: StatsSink, statName: string) {
    this.#sink = sink;
    const prefix = `cluster.${statName}.`;
    this.#prefix = prefix;
    const c = (name: string): Counter => sink.counter(prefix + name);
    const g = (name: string): Gauge => sink.gauge(prefix + name);
    this.upstream_rq_total = c('upstream_rq_total');
    this.upstream_rq_completed = c('upstream_rq_completed');
    this.upstream_rq_active = g('upstream_rq_active');
    this.upstream_rq_pending_total = c('upstream_rq_pending_total');
    this.upstream_rq_pending_active = g('upstream_rq_pending_active');
    this.upstream_rq_pending_overflow = c('upstream_rq_pending_overflow');
    this.upstream_rq_retry = c('upstream_rq_retry');
    this.upstream_rq_retry_overflow = c('upstream_rq_retry_overflow');
    this.upstream_rq_timeout = c('upstream_rq_timeout');
    this.upstream_rq_rx_reset = c('upstream_rq_rx_reset');
    this.upstream_rq_tx_reset = c('upstream_rq_tx_reset');
    this.upstream_rq_cancelled = c('upstream_rq_cancelled');
    this.upstream_cx_total = c('upstream_cx_total');
    this.upstream_cx_active = g('upstream_cx_active');
    this.upstream_cx_http1_total = c('upstream_cx_http1_total');
    this.upstream_cx_http2_total = c('upstream_cx_http2_total');
    this.upstream_cx_connect_fail = c('upstream_cx_connect_fail');
    this.upstream_cx_connect_timeout = c('upstream_cx_connect_timeout');
    this.upstream_cx_destroy = c('upstream_cx_destroy');
    this.upstream_cx_overflow = c('upstream_cx_overflow');
    this.upstream_cx_none_healthy = c('upstream_cx_none_healthy');
    this.upstream_cx_max_requests = c('upstream_cx_max_requests');
    this.lb_healthy_panic = c('lb_healthy_panic');
    this.membership_change = c('membership_change');
    this.membership_healthy = g('membership_healthy');
    this.membership_degraded = g('membership_degraded');
    this.membership_total = g('membership_total');
    this.cx_open = g('circuit_breakers.default.cx_open');
    this.rq_pending_open = g('circuit_breakers.default.rq_pending_open');
    this.rq_open = g('circuit_breakers.default.rq_open');
    this.rq_retry_open = g('circuit_breakers.default.rq_retry_open');
    this.outlier = new OutlierStats(sink, `${prefix}outlier_detection.`);
  }

  /** `upstream_rq_<code>` and `upstream_rq_<N>xx`. */
  responseCode(status: number): void {
    if (status < 100 || status > 999) return;
    (this.#byCode[status] ??= this.#sink.counter(`${this.#prefix}upstream_rq_${status}`)).inc();
    const klass = Math.floor(status / 100);
    (this.#byClass[klass] ??= this.#sink.counter(`${this.#prefix}upstream_rq_${klass}xx`)).inc();
  }
}

export class OutlierStats {
  readonly ejections_active: Gauge;
  readonly ejections_total: Counter;
  readonly ejections_overflow: Counter;
  readonly ejections_enforced_total: Counter;
  readonly ejections_detected_consecutive_5xx: Counter;
  readonly ejections_enforced_consecutive_5xx: Counter;
  readonly ejections_detected_consecutive_gateway_failure: Counter;
  readonly ejections_enforced_consecutive_gateway_failure: Counter;
  readonly ejections_detected_consecutive_local_origin_failure: Counter;
  readonly ejections_enforced_consecutive_local_origin_failure: Counter;
  readonly ejections_detected_success_rate: Counter;
  readonly ejections_enforced_success_rate: Counter;
  readonly ejections_detected_failure_percentage: Counter;
  readonly ejections_enforced_failure_percentage: Counter;

  constructor(sink: StatsSink, prefix: string) {
    const c = (name: string): Counter => sink.counter(prefix + name);
    this.ejections_active = sink.gauge(`${prefix}ejections_active`);
    this.ejections_total = c('ejections_total');
    this.ejections_overflow = c('ejections_overflow');
    this.ejections_enforced_total = c('ejections_enforced_total');
    this.ejections_detected_consecutive_5xx = c('ejections_detected_consecutive_5xx');
    this.ejections_enforced_consecutive_5xx = c('ejections_enforced_consecutive_5xx');
    this.ejections_detected_consecutive_gateway_failure = c('ejections_detected_consecutive_gateway_failure');
    this.ejections_enforced_consecutive_gateway_failure = c('ejections_enforced_consecutive_gateway_failure');
    this.ejections_detected_consecutive_local_origin_failure = c(
      'ejections_detected_consecutive_local_origin_failure',
    );
    this.ejections_enforced_consecutive_local_origin_failure = c(
      'ejections_enforced_consecutive_local_origin_failure',
    );
    this.ejections_detected_success_rate = c('ejections_detected_success_rate');
    this.ejections_enforced_success_rate = c('ejections_enforced_success_rate');
    this.ejections_detected_failure_percentage = c('ejections_detected_failure_percentage');
    this.ejections_enforced_failure_percentage = c('ejections_enforced_failure_percentage');
  }
}
