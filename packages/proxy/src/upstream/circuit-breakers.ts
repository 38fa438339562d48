// A cluster's circuit breakers (thresholds[DEFAULT]): admission of requests and retries, counted against
// max_requests, max_pending_requests (requests beyond what the allowed connections can carry wait in the
// pool) and max_retries or the retry budget; overflow fails fast and is counted like Envoy's.
import type { ResourceGuard } from './cluster-view.ts';
import type { ClusterStats } from './cluster-stats.ts';
import type { CircuitBreakerConfig } from './config/compiled-cluster.ts';

export class CircuitBreakers {
  readonly config: CircuitBreakerConfig;
  readonly #stats: ClusterStats;
  /** Requests one connection carries at once: 1 for HTTP/1.1, max_concurrent_streams for HTTP/2. */
  readonly #perConnection: number;
  #hosts = 0;
  requests = 0;
  retries = 0;
  connections = 0;

  constructor(config: CircuitBreakerConfig, stats: ClusterStats, perConnection: number) {
    this.config = config;
    this.#stats = stats;
    this.#perConnection = perConnection;
  }

  /** Envoy lets every chosen host have one connection even past max_connections. */
  set hostCount(count: number) {
    this.#hosts = count;
  }

  get pending(): number {
    return Math.max(0, this.requests - this.#capacity());
  }

  admitRequest(): ResourceGuard | undefined {
    const stats = this.#stats;
    if (this.requests >= this.config.maxRequests) {
      stats.upstream_rq_pending_overflow.inc();
      return undefined;
    }
    const willWait = this.requests >= this.#capacity();
    if (willWait) {
      if (this.pending >= this.config.maxPendingRequests) {
        stats.upstream_rq_pending_overflow.inc();
        return undefined;
      }
      stats.upstream_cx_overflow.inc();
      stats.upstream_rq_pending_total.inc();
    }
    this.requests++;
    this.#refresh();
    return new RequestGuard(this);
  }

  /** A request admitted by `admitRequest` finished. */
  requestReleased(): void {
    this.requests--;
    this.#refresh();
  }

  admitRetry(): ResourceGuard | undefined {
    if (this.retries >= this.#retryLimit()) {
      this.#stats.upstream_rq_retry_overflow.inc();
      return undefined;
    }
    this.retries++;
    this.#stats.upstream_rq_retry.inc();
    this.#refresh();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.retries--;
        this.#refresh();
      },
    };
  }

  /** For raw connections (tcp_proxy): false when max_connections is reached. */
  canOpenConnection(): boolean {
    return this.connections < this.config.maxConnections;
  }

  connectionOpened(): void {
    this.connections++;
    this.#refresh();
  }

  connectionClosed(): void {
    this.connections--;
    this.#refresh();
  }

  #capacity(): number {
    return Math.max(this.config.maxConnections, this.#hosts) * this.#perConnection;
  }

  #retryLimit(): number {
    const budget = this.config.retryBudget;
    if (!budget) return this.config.maxRetries;
    return Math.max(budget.minRetryConcurrency, (budget.percent / 100) * this.requests);
  }

  #refresh(): void {
    const stats = this.#stats;
    const config = this.config;
    stats.upstream_rq_pending_active.set(this.pending);
    stats.rq_open.set(this.requests >= config.maxRequests ? 1 : 0);
    stats.rq_pending_open.set(this.pending >= config.maxPendingRequests ? 1 : 0);
    stats.rq_retry_open.set(this.retries >= this.#retryLimit() ? 1 : 0);
    stats.cx_open.set(this.connections >= config.maxConnections ? 1 : 0);
  }
}

/** One admitted request's hold on max_requests; releasing twice is harmless. */
class RequestGuard implements ResourceGuard {
  #breakers: CircuitBreakers | undefined;

  constructor(breakers: CircuitBreakers) {
    this.#breakers = breakers;
  }

  release(): void {
    const breakers = this.#breakers;
    if (!breakers) return;
    this.#breakers = undefined;
    breakers.requestReleased();
  }
}
