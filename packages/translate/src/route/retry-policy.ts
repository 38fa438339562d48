// Istio HTTPRetry → Envoy RetryPolicy, with Istio's mesh default when a rule sets no retries.
import { create } from '@bufbuild/protobuf';
import type { HTTPRetry } from '@heddle/api';
import { typedStruct } from '@heddle/xds';
import {
  RetryPolicySchema,
  type RetryPolicy,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { protoDuration } from '../cluster/proto-duration.ts';

export const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';
export const DEFAULT_RETRY_ATTEMPTS = 2;
/** Istio retries 503 by default (the status a draining or overloaded upstream answers with). */
const DEFAULT_RETRIABLE_STATUS_CODES = [503];

// The retry extensions' protos are not among the generated types; a TypedStruct names the type for Envoy.
const PREVIOUS_HOSTS = 'envoy.retry_host_predicates.previous_hosts';
const PREVIOUS_HOSTS_TYPE =
  'type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate';
const PREVIOUS_PRIORITIES = 'envoy.retry_priorities.previous_priorities';
const PREVIOUS_PRIORITIES_TYPE =
  'type.googleapis.com/envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig';

/** Comma-separated conditions; bare numbers are status codes (Envoy needs `retriable-status-codes` for them). */
export function parseRetryOn(text: string): { retryOn: string; statusCodes: number[] } {
  const conditions: string[] = [];
  const statusCodes: number[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    if (/^\d{3}$/.test(part)) statusCodes.push(Number(part));
    else if (!conditions.includes(part)) conditions.push(part);
  }
  if (statusCodes.length > 0 && !conditions.includes('retriable-status-codes'))
    conditions.push('retriable-status-codes');
  return { retryOn: conditions.join(','), statusCodes };
}

/**
 * Undefined when retries are off (`attempts: 0`; gRPC clients reject `num_retries: 0`, so there is no policy).
 * With consistent hashing the retry must stay on the hashed host, so the previous-hosts predicate is left out.
 */
export function retryPolicy(retries: HTTPRetry | undefined, hashed: boolean): RetryPolicy | undefined {
  if (retries?.attempts !== undefined && retries.attempts <= 0) return undefined;
  const attempts = retries?.attempts ?? DEFAULT_RETRY_ATTEMPTS;
  const parsed = retries?.retryOn
    ? parseRetryOn(retries.retryOn)
    : { retryOn: DEFAULT_RETRY_ON, statusCodes: DEFAULT_RETRIABLE_STATUS_CODES };
  const avoidPrevious = !hashed && retries?.retryIgnorePreviousHosts !== false;
  const backoff = protoDuration(retries?.backoff);
  return create(RetryPolicySchema, {
    retryOn: parsed.retryOn,
    numRetries: attempts,
    retriableStatusCodes: parsed.statusCodes,
    perTryTimeout: protoDuration(retries?.perTryTimeout),
    hostSelectionRetryMaxAttempts: avoidPrevious ? 5n : 0n,
    retryHostPredicate: avoidPrevious
      ? [
          {
            name: PREVIOUS_HOSTS,
            configType: { case: 'typedConfig', value: typedStruct(PREVIOUS_HOSTS_TYPE, {}) },
          },
        ]
      : [],
    // Retries may leave the locality only when asked: Envoy then skips priorities it already tried.
    retryPriority: retries?.retryRemoteLocalities
      ? {
          name: PREVIOUS_PRIORITIES,
          configType: {
            case: 'typedConfig',
            value: typedStruct(PREVIOUS_PRIORITIES_TYPE, { update_frequency: attempts + 1 }),
          },
        }
      : undefined,
    retryBackOff: backoff ? { baseInterval: backoff } : undefined,
  });
}
