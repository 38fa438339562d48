// What the admin API reads and drives: cluster and listener descriptions from their managers, and the
// server's lifecycle (state, drain, quit) from the process that runs the proxy.
import type { Node } from '@heddle/xds';
import type { ServerStateName } from '../stats/server-stats.ts';

export interface ClusterHostInfo {
  readonly address: string;
  readonly port: number;
  readonly hostname?: string;
  /** Envoy's flags: `healthy`, or any of `/failed_active_hc`, `/failed_outlier_check`, `/failed_eds_health`, `/degraded_eds_health`. */
  readonly healthFlags?: readonly string[];
  readonly weight?: number;
  readonly priority?: number;
  readonly locality?: { readonly region?: string; readonly zone?: string; readonly subZone?: string };
  /** Per-host counters and gauges: `cx_active`, `cx_total`, `rq_active`, `rq_total`, `rq_error` … */
  readonly stats?: Readonly<Record<string, number>>;
  /** Outlier detection's success rate, -1 when not computed. */
  readonly successRate?: number;
}

export interface ClusterInfo {
  readonly name: string;
  readonly addedViaApi?: boolean;
  readonly observabilityName?: string;
  readonly edsServiceName?: string;
  /** Default-priority circuit-breaker limits: `max_connections`, `max_pending_requests`, `max_requests`, `max_retries`. */
  readonly circuitBreakers?: Readonly<Record<string, number>>;
  readonly hosts: readonly ClusterHostInfo[];
}

export interface ListenerInfo {
  readonly name: string;
  readonly address: { readonly host: string; readonly port: number };
  /** Where the socket is actually bound (port 0 resolved). */
  readonly boundAddress?: { readonly host: string; readonly port: number };
}

export interface DrainOptions {
  /** Envoy's `?graceful`: drain connections (Connection: close, GOAWAY) before the listeners stop. */
  readonly graceful: boolean;
  readonly inboundOnly: boolean;
}

export interface ServerControl {
  readonly node: Node;
  readonly startedAt: number;
  readonly concurrency: number;
  readonly drainTimeoutMs: number;
  now(): number;
  state(): ServerStateName;
  /** Envoy's `/healthcheck/fail`: readiness fails until `/healthcheck/ok`. */
  setHealthCheckFailed(failed: boolean): void;
  drainListeners(options: DrainOptions): void;
  /** Starts a graceful shutdown; the process exits when it is done. */
  quit(): void;
}
