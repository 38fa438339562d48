// What a host's connection pools share with their cluster: config, stats, breakers, TLS and connection events.
import type { CircuitBreakers } from '../circuit-breakers.ts';
import type { ClusterStats } from '../cluster-stats.ts';
import type { CompiledCluster } from '../config/compiled-cluster.ts';
import type { Host } from '../host/host.ts';
import type { TransportResolver } from './transport-resolver.ts';

export interface PoolEnv {
  readonly cluster: CompiledCluster;
  readonly stats: ClusterStats;
  readonly breakers: CircuitBreakers;
  readonly transports: TransportResolver;
}

/** Bookkeeping for one upstream connection opening and closing, shared by every pool kind. */
export function connectionOpened(env: PoolEnv, host: Host, protocol: 'http1' | 'http2' | 'tcp'): void {
  const stats = env.stats;
  stats.upstream_cx_total.inc();
  stats.upstream_cx_active.add(1);
  if (protocol === 'http1') stats.upstream_cx_http1_total.inc();
  else if (protocol === 'http2') stats.upstream_cx_http2_total.inc();
  host.cxActive++;
  host.cxTotal++;
  env.breakers.connectionOpened();
}

export function connectionClosed(env: PoolEnv, host: Host): void {
  env.stats.upstream_cx_active.add(-1);
  env.stats.upstream_cx_destroy.inc();
  host.cxActive--;
  env.breakers.connectionClosed();
}

export function connectionFailed(env: PoolEnv, err: Error): void {
  env.stats.upstream_cx_connect_fail.inc();
  if ((err as { code?: string }).code === 'HEDDLE_UPSTREAM_CONNECT_TIMEOUT')
    env.stats.upstream_cx_connect_timeout.inc();
}
