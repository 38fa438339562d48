// Per-request bookkeeping of a cluster and host: status counters when the response starts, active gauges,
// completion/reset/cancel counters and the host's request count when the exchange ends.
import type { ClusterStats } from '../cluster-stats.ts';
import type { ExchangeEnd, ExchangeHooks } from '../pool/exchange-hooks.ts';
import type { Host } from './host.ts';

export function requestStarted(stats: ClusterStats, host: Host): ExchangeHooks {
  stats.upstream_rq_total.inc();
  stats.upstream_rq_active.add(1);
  host.rqActive++;
  host.rqTotal++;
  return new RequestAccounting(stats, host);
}

/** One request's hooks: an object with methods on the prototype rather than two closures. */
class RequestAccounting implements ExchangeHooks {
  readonly #stats: ClusterStats;
  readonly #host: Host;

  constructor(stats: ClusterStats, host: Host) {
    this.#stats = stats;
    this.#host = host;
  }

  onStatus(status: number): void {
    this.#stats.responseCode(status);
    if (status >= 500) this.#host.rqError++;
  }

  onDone(end: ExchangeEnd): void {
    const stats = this.#stats;
    const host = this.#host;
    stats.upstream_rq_active.add(-1);
    if (end === 'complete') stats.upstream_rq_completed.inc();
    else if (end === 'reset-local') stats.upstream_rq_tx_reset.inc();
    else if (end === 'reset-remote') stats.upstream_rq_rx_reset.inc();
    else if (end === 'cancelled') stats.upstream_rq_cancelled.inc();
    if (end !== 'complete') host.rqError++;
    host.requestDone();
  }
}
