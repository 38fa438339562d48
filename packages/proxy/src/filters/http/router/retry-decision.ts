// Pure retry decisions: whether an attempt's outcome is retriable under a policy, and the jittered back-off.
import { firstValue, type ReadonlyHeaderMap } from '../../../http/headers.ts';
import type { CompiledRetryPolicy, RetryCondition } from '../../../http/routing/compiled-route.ts';

export type AttemptFailure = 'connect-failure' | 'reset' | 'refused-stream' | 'timeout';

const GRPC_CONDITIONS: Readonly<Record<string, RetryCondition>> = {
  '1': 'cancelled',
  '4': 'deadline-exceeded',
  '8': 'resource-exhausted',
  '13': 'internal',
  '14': 'unavailable',
};

export function retriableFailure(policy: CompiledRetryPolicy, failure: AttemptFailure): boolean {
  const on = policy.retryOn;
  const broad = on.has('5xx') || on.has('gateway-error') || on.has('reset');
  switch (failure) {
    case 'connect-failure':
      return broad || on.has('connect-failure');
    case 'refused-stream':
      return broad || on.has('refused-stream');
    case 'reset':
    case 'timeout':
      return broad;
  }
}

export function retriableResponse(
  policy: CompiledRetryPolicy,
  status: number,
  headers: ReadonlyHeaderMap,
): boolean {
  const on = policy.retryOn;
  if (on.has('5xx') && status >= 500 && status < 600) return true;
  if (on.has('gateway-error') && (status === 502 || status === 503 || status === 504)) return true;
  if (on.has('retriable-4xx') && status === 409) return true;
  if (on.has('retriable-status-codes') && policy.retriableStatusCodes.has(status)) return true;
  // gRPC errors arrive as trailers-only responses: grpc-status is in the headers.
  const grpcStatus = firstValue(headers, 'grpc-status');
  if (grpcStatus !== undefined) {
    const condition = GRPC_CONDITIONS[grpcStatus.trim()];
    if (condition !== undefined && on.has(condition)) return true;
  }
  return false;
}

/** Envoy's fully jittered exponential back-off: uniform in [0, min(base × 2^(n−1), max)) for retry n ≥ 1. */
export function backOffMs(policy: CompiledRetryPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.backOffBaseMs * 2 ** Math.min(retry - 1, 30), policy.backOffMaxMs);
  return Math.floor(random() * ceiling);
}
