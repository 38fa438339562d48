// Envoy's outlier detection for one cluster: consecutive 5xx / gateway-failure / local-origin detectors eject
// inline; a sweep every `interval` returns hosts whose ejection (base × ejections, at most max) has passed,
// eases the multiplier of hosts that stayed healthy, and runs the success-rate and failure-% detectors.
import type { AttemptOutcome } from '../cluster-view.ts';
import type { OutlierStats } from '../cluster-stats.ts';
import type { OutlierConfig } from '../config/compiled-cluster.ts';
import type { Host } from '../host/host.ts';
import { type DetectorKind, detectOutliersByRate } from './rate-detectors.ts';

export interface OutlierEnv {
  readonly now: () => number;
  readonly random: () => number;
  /** The cluster's current hosts. */
  readonly hosts: () => readonly Host[];
  /** An ejection or return happened: the load balancer must be rebuilt. */
  readonly onHealthChange: () => void;
}

export class OutlierDetector {
  readonly #config: OutlierConfig;
  readonly #stats: OutlierStats;
  readonly #env: OutlierEnv;
  readonly #timer: NodeJS.Timeout;
  #active = 0;

  constructor(config: OutlierConfig, stats: OutlierStats, env: OutlierEnv) {
    this.#config = config;
    this.#stats = stats;
    this.#env = env;
    this.#timer = setInterval(() => this.sweep(), config.intervalMs);
    this.#timer.unref();
  }

  record(host: Host, outcome: AttemptOutcome): void {
    const state = host.outlier;
    const config = this.#config;
    if (outcome.kind === 'response') {
      const status = outcome.status;
      state.consecutiveLocalOriginFailure = 0;
      state.intervalRequests++;
      if (status < 500) {
        state.intervalSuccesses++;
        state.consecutive5xx = 0;
        state.consecutiveGatewayFailure = 0;
        return;
      }
      this.#serverError(host, status === 502 || status === 503 || status === 504);
      return;
    }
    if (config.splitExternalLocalOriginErrors) {
      if (++state.consecutiveLocalOriginFailure >= config.consecutiveLocalOriginFailure) {
        state.consecutiveLocalOriginFailure = 0;
        this.#detected(
          host,
          'consecutive_local_origin_failure',
          config.enforcingConsecutiveLocalOriginFailure,
        );
      }
      return;
    }
    // Without the split, a failure of our own counts as the 503/504 the router answers with.
    state.intervalRequests++;
    this.#serverError(host, true);
  }

  #serverError(host: Host, gateway: boolean): void {
    const state = host.outlier;
    const config = this.#config;
    if (gateway) {
      if (++state.consecutiveGatewayFailure >= config.consecutiveGatewayFailure) {
        state.consecutiveGatewayFailure = 0;
        this.#detected(host, 'consecutive_gateway_failure', config.enforcingConsecutiveGatewayFailure);
      }
    } else {
      state.consecutiveGatewayFailure = 0;
    }
    if (++state.consecutive5xx >= config.consecutive5xx) {
      state.consecutive5xx = 0;
      this.#detected(host, 'consecutive_5xx', config.enforcingConsecutive5xx);
    }
  }

  #detected(host: Host, kind: DetectorKind, enforcing: number): void {
    const stats = this.#stats;
    stats[`ejections_detected_${kind}`].inc();
    if (host.outlier.ejected || this.#env.random() * 100 >= enforcing) return;
    const total = this.#env.hosts().length;
    if (this.#active > 0 && ((this.#active + 1) * 100) / total > this.#config.maxEjectionPercent) {
      stats.ejections_overflow.inc();
      return;
    }
    const state = host.outlier;
    state.ejected = true;
    state.ejectedAt = this.#env.now();
    state.ejections++;
    this.#active++;
    stats.ejections_active.add(1);
    stats.ejections_total.inc();
    stats.ejections_enforced_total.inc();
    stats[`ejections_enforced_${kind}`].inc();
    this.#env.onHealthChange();
  }

  sweep(): void {
    const now = this.#env.now();
    const config = this.#config;
    const hosts = this.#env.hosts();
    let changed = false;
    for (const host of hosts) {
      const state = host.outlier;
      if (state.ejected) {
        const duration = Math.min(config.baseEjectionMs * state.ejections, config.maxEjectionMs);
        if (now - state.ejectedAt >= duration) {
          state.ejected = false;
          state.consecutive5xx = 0;
          state.consecutiveGatewayFailure = 0;
          state.consecutiveLocalOriginFailure = 0;
          state.healthySince = now;
          this.#active--;
          this.#stats.ejections_active.add(-1);
          changed = true;
        }
      } else if (state.ejections > 0 && now - state.healthySince >= config.intervalMs) {
        // Each full interval back in service eases the next ejection's length.
        state.ejections--;
        state.healthySince = now;
      }
    }
    for (const [host, kind] of detectOutliersByRate(hosts, config)) {
      this.#detected(
        host,
        kind,
        kind === 'success_rate' ? config.enforcingSuccessRate : config.enforcingFailurePercentage,
      );
    }
    for (const host of hosts) host.outlier.resetInterval();
    if (changed) this.#env.onHealthChange();
  }

  /** A host left the cluster: its ejection no longer counts. */
  hostRemoved(host: Host): void {
    if (!host.outlier.ejected) return;
    host.outlier.ejected = false;
    this.#active--;
    this.#stats.ejections_active.add(-1);
  }

  close(): void {
    clearInterval(this.#timer);
    this.#stats.ejections_active.add(-this.#active);
    this.#active = 0;
  }
}
