// Per-request bookkeeping of a cluster and host: status counters when the response starts, active gauges,
// completion/reset/cancel counters and the host's request count when the exchange ends.
import type { ClusterStats } from '../cluster-stats.ts';
import type { ExchangeHooks } from '../pool/exchange-hooks.ts';
import type { Host } from './host.ts';

export function requestStarted(stats: ClusterStats, host: Host): ExchangeHooks {
  stats.upstream_rq_total.inc();
  stats.upstream_rq_active.add(1);
  host.rqActive++;
  host.rqTotal++;
  return {
    onStatus: (status) => {
      stats.responseCode(status);
      if (status >= 500) host.rqError++;
    },
    onDone: (end) => {
      stats.upstream_rq_active.add(-1);
      if (end === 'complete') stats.upstream_rq_completed.inc();
      else if (end === 'reset-local') stats.upstream_rq_tx_reset.inc();
      else if (end === 'reset-remote') stats.upstream_rq_rx_reset.inc();
      else if (end === 'cancelled') stats.upstream_rq_cancelled.inc();
      if (end !== 'complete') host.rqError++;
      host.requestDone();
    },
  };
}
