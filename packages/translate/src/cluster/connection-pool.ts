// DestinationRule connectionPool as Envoy circuit breakers, connect timeout and TCP keepalive, with Istio's
// values where the rule leaves a field unset.
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { Duration } from '@bufbuild/protobuf/wkt';
import type { ConnectionPoolSettings, MeshConfig, RetryBudget } from '@heddle/api';
import type { CircuitBreakersSchema } from '@heddle/xds/gen/envoy/config/cluster/v3/circuit_breaker_pb.ts';
import type { UpstreamConnectionOptionsSchema } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { durationSeconds, protoDuration } from './proto-duration.ts';

/** Istio writes every threshold out as 2^32-1 (Envoy's own defaults are far lower: 1024, 3 retries). */
export const UNLIMITED = 4294967295;
/** Istio's meshConfig.connectTimeout default. */
const DEFAULT_CONNECT_TIMEOUT = '10s';

type CircuitBreakersInit = MessageInitShape<typeof CircuitBreakersSchema>;
type ConnectionOptionsInit = MessageInitShape<typeof UpstreamConnectionOptionsSchema>;

const positive = (value: number | undefined): number | undefined =>
  value !== undefined && value > 0 ? value : undefined;

/** One DEFAULT-priority threshold set; a retry budget, when set, takes the place of maxRetries. */
export function circuitBreakersFor(
  pool: ConnectionPoolSettings | undefined,
  retryBudget?: RetryBudget,
): CircuitBreakersInit {
  return {
    thresholds: [
      {
        maxConnections: positive(pool?.tcp?.maxConnections) ?? UNLIMITED,
        // Envoy applies max_pending_requests to HTTP/1.1 and max_requests to HTTP/2 (hence Istio's names).
        maxPendingRequests: positive(pool?.http?.http1MaxPendingRequests) ?? UNLIMITED,
        maxRequests: positive(pool?.http?.http2MaxRequests) ?? UNLIMITED,
        maxRetries: positive(pool?.http?.maxRetries) ?? UNLIMITED,
        ...(retryBudget
          ? {
              retryBudget: {
                ...(retryBudget.percent !== undefined
                  ? { budgetPercent: { value: retryBudget.percent } }
                  : {}),
                ...(retryBudget.minRetryConcurrency !== undefined
                  ? { minRetryConcurrency: retryBudget.minRetryConcurrency }
                  : {}),
              },
            }
          : {}),
        trackRemaining: true,
      },
    ],
  };
}

export function connectTimeoutFor(pool: ConnectionPoolSettings | undefined, mesh: MeshConfig): Duration {
  return (
    protoDuration(pool?.tcp?.connectTimeout) ??
    protoDuration(mesh.connectTimeout) ??
    (protoDuration(DEFAULT_CONNECT_TIMEOUT) as Duration)
  );
}

/** SO_KEEPALIVE when the rule asks for it; unset fields keep the OS settings. */
export function upstreamConnectionOptionsFor(
  pool: ConnectionPoolSettings | undefined,
): ConnectionOptionsInit | undefined {
  const keepalive = pool?.tcp?.tcpKeepalive;
  if (!keepalive) return undefined;
  return {
    tcpKeepalive: {
      keepaliveProbes: keepalive.probes,
      keepaliveTime: durationSeconds(keepalive.time),
      keepaliveInterval: durationSeconds(keepalive.interval),
    },
  };
}
