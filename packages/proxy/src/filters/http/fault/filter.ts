// The per-stream fault filter: asks decideFault, then holds the request for the delay and/or answers with the
// abort. Delays and aborts count against max_active_faults until the stream ends.
import type { TimerHandle } from '../../../http/clock.ts';
import type { HeaderMap } from '../../../http/headers.ts';
import type { Counter, Gauge } from '../../../stats/stats-sink.ts';
import type { FilterCallbacks, FilterStatus, HttpStreamFilter } from '../http-filter.ts';
import type { FaultConfig } from './config.ts';
import { decideFault, faultApplies, type FaultDecision } from './decide-fault.ts';

export interface FaultStats {
  readonly delaysInjected: Counter;
  readonly abortsInjected: Counter;
  readonly faultsOverflow: Counter;
  readonly activeFaults: Gauge;
}

export interface FaultShared {
  /** The filter-level config; a route's typed_per_filter_config replaces it. */
  readonly config?: FaultConfig;
  readonly stats: FaultStats;
}

export class FaultFilter implements HttpStreamFilter {
  readonly #shared: FaultShared;
  readonly #callbacks: FilterCallbacks;
  #timer: TimerHandle | undefined;
  #active = false;

  constructor(shared: FaultShared, callbacks: FilterCallbacks) {
    this.#shared = shared;
    this.#callbacks = callbacks;
  }

  decodeHeaders(headers: HeaderMap): FilterStatus {
    const perRoute = this.#callbacks.perFilterConfig();
    if (perRoute?.disabled) return 'continue';
    const config = (perRoute?.config as FaultConfig | undefined) ?? this.#shared.config;
    if (!config || (!config.delay && !config.abort)) return 'continue';
    const action = this.#callbacks.route()?.action;
    const cluster =
      action?.kind === 'forward' && action.cluster.kind === 'cluster' ? action.cluster.name : undefined;
    if (!faultApplies(config, headers, cluster)) return 'continue';
    const stats = this.#shared.stats;
    if (config.maxActiveFaults !== undefined && stats.activeFaults.value >= config.maxActiveFaults) {
      stats.faultsOverflow.inc();
      return 'continue';
    }
    const decision = decideFault(config, headers, this.#callbacks.random);
    if (decision.delayMs === undefined && !decision.abort) return 'continue';
    this.#active = true;
    stats.activeFaults.add(1);
    if (decision.delayMs !== undefined) {
      stats.delaysInjected.inc();
      this.#callbacks.streamInfo.responseFlags.add('DI');
      this.#timer = this.#callbacks.clock.setTimer(decision.delayMs, () => this.#afterDelay(decision));
      return 'stop';
    }
    this.#abort(decision);
    return 'stop';
  }

  onDestroy(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#active) {
      this.#active = false;
      this.#shared.stats.activeFaults.add(-1);
    }
  }

  #afterDelay(decision: FaultDecision): void {
    this.#timer = undefined;
    if (decision.abort) this.#abort(decision);
    else this.#callbacks.continueDecoding();
  }

  #abort(decision: FaultDecision): void {
    const abort = decision.abort;
    if (!abort) return;
    this.#shared.stats.abortsInjected.inc();
    this.#callbacks.sendLocalReply({
      status: abort.httpStatus ?? 200,
      ...(abort.grpcStatus !== undefined ? { grpcStatus: abort.grpcStatus } : {}),
      body: 'fault filter abort',
      flag: 'FI',
      details: 'fault_filter_abort',
    });
  }
}
