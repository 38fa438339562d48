// circuit_breakers.thresholds[DEFAULT] with Envoy's defaults (1024 connections, pending and active requests,
// 3 concurrent retries); a retry budget replaces max_retries when present.
import type { CircuitBreakers } from '@heddle/xds/gen/envoy/config/cluster/v3/circuit_breaker_pb.ts';
import { RoutingPriority } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import type { CircuitBreakerConfig } from './compiled-cluster.ts';
import { ClusterConfigError } from './config-error.ts';

export const DEFAULT_MAX_CONNECTIONS = 1024;
export const DEFAULT_MAX_PENDING_REQUESTS = 1024;
export const DEFAULT_MAX_REQUESTS = 1024;
export const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_BUDGET_PERCENT = 20;
const DEFAULT_MIN_RETRY_CONCURRENCY = 3;

export function compileCircuitBreakers(
  breakers: CircuitBreakers | undefined,
  where: string,
): CircuitBreakerConfig {
  const at = `${where}: circuit_breakers`;
  if (breakers && breakers.perHostThresholds.length > 0) {
    throw new ClusterConfigError(`${at}.per_host_thresholds: not supported`);
  }
  // HIGH-priority thresholds apply to HIGH-priority routes, which the proxy does not distinguish.
  const index = breakers?.thresholds.findIndex((t) => t.priority === RoutingPriority.DEFAULT) ?? -1;
  const t = index >= 0 ? breakers?.thresholds[index] : undefined;
  if (t?.maxConnectionPools !== undefined) {
    throw new ClusterConfigError(`${at}.thresholds[${index}].max_connection_pools: not supported`);
  }
  const budget = t?.retryBudget;
  return {
    maxConnections: t?.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxPendingRequests: t?.maxPendingRequests ?? DEFAULT_MAX_PENDING_REQUESTS,
    maxRequests: t?.maxRequests ?? DEFAULT_MAX_REQUESTS,
    maxRetries: t?.maxRetries ?? DEFAULT_MAX_RETRIES,
    ...(budget
      ? {
          retryBudget: {
            percent: budget.budgetPercent?.value ?? DEFAULT_BUDGET_PERCENT,
            minRetryConcurrency: budget.minRetryConcurrency ?? DEFAULT_MIN_RETRY_CONCURRENCY,
          },
        }
      : {}),
  };
}
