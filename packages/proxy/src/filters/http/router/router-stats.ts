// The router's per-cluster counters, named like Envoy's (`cluster.<name>.upstream_rq_retry` …) and resolved
// once per cluster name.
import type { Counter, StatsSink } from '../../../stats/stats-sink.ts';

export interface RouterClusterStats {
  readonly retry: Counter;
  readonly retrySuccess: Counter;
  readonly retryOverflow: Counter;
  readonly retryLimitExceeded: Counter;
  readonly timeout: Counter;
  readonly perTryTimeout: Counter;
}

export class RouterStats {
  readonly #stats: StatsSink;
  readonly #byCluster = new Map<string, RouterClusterStats>();

  constructor(stats: StatsSink) {
    this.#stats = stats;
  }

  cluster(name: string): RouterClusterStats {
    let stats = this.#byCluster.get(name);
    if (!stats) {
      const c = (stat: string): Counter => this.#stats.counter(`cluster.${name}.${stat}`);
      stats = {
        retry: c('upstream_rq_retry'),
        retrySuccess: c('upstream_rq_retry_success'),
        retryOverflow: c('upstream_rq_retry_overflow'),
        retryLimitExceeded: c('upstream_rq_retry_limit_exceeded'),
        timeout: c('upstream_rq_timeout'),
        perTryTimeout: c('upstream_rq_per_try_timeout'),
      };
      this.#byCluster.set(name, stats);
    }
    return stats;
  }
}
