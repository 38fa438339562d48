// Envoy RetryPolicy compiled: the retry_on conditions, limits, per-try timeout, back-off and host predicates.
import { durationMs } from '@bufbuild/protobuf/wkt';
import {
  RetryPolicySchema,
  type RetryPolicy,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { CompiledRetryPolicy, RetryCondition } from './compiled-route.ts';
import type { CompileResult } from './string-matcher.ts';
import { firstUnsupportedField } from './unsupported-fields.ts';

const SUPPORTED = new Set([
  'retryOn',
  'numRetries',
  'perTryTimeout',
  'retryPriority',
  'retryHostPredicate',
  'hostSelectionRetryMaxAttempts',
  'retriableStatusCodes',
  'retryBackOff',
]);

const CONDITIONS = new Set<string>([
  '5xx',
  'gateway-error',
  'reset',
  'connect-failure',
  'refused-stream',
  'retriable-4xx',
  'retriable-status-codes',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

const PREVIOUS_HOSTS = 'envoy.retry_host_predicates.previous_hosts';
const PREVIOUS_PRIORITIES = 'envoy.retry_priorities.previous_priorities';
export const DEFAULT_BACKOFF_BASE_MS = 25;

export function compileRetryPolicy(policy: RetryPolicy): CompileResult<CompiledRetryPolicy> {
  const unsupported = firstUnsupportedField(RetryPolicySchema, policy, SUPPORTED);
  if (unsupported) return { error: `field retry_policy.${unsupported} is not supported` };
  const retryOn = new Set<RetryCondition>();
  for (const raw of policy.retryOn.split(',')) {
    const condition = raw.trim();
    // Envoy ignores conditions it does not know; so do we, but only the ones we implement take effect.
    if (CONDITIONS.has(condition)) retryOn.add(condition as RetryCondition);
  }
  let avoidPreviousHosts = false;
  for (const predicate of policy.retryHostPredicate) {
    if (predicate.name !== PREVIOUS_HOSTS) {
      return { error: `retry_policy.retry_host_predicate ${predicate.name} is not supported` };
    }
    avoidPreviousHosts = true;
  }
  // Hosts have no priorities here: retrying on previous priorities changes nothing.
  if (policy.retryPriority && policy.retryPriority.name !== PREVIOUS_PRIORITIES) {
    return { error: `retry_policy.retry_priority ${policy.retryPriority.name} is not supported` };
  }
  const base = policy.retryBackOff?.baseInterval
    ? durationMs(policy.retryBackOff.baseInterval)
    : DEFAULT_BACKOFF_BASE_MS;
  if (base <= 0) return { error: 'retry_policy.retry_back_off.base_interval must be positive' };
  const max = policy.retryBackOff?.maxInterval ? durationMs(policy.retryBackOff.maxInterval) : base * 10;
  if (max < base) return { error: 'retry_policy.retry_back_off.max_interval is less than base_interval' };
  return {
    value: {
      retryOn,
      numRetries: policy.numRetries ?? 1,
      perTryTimeoutMs: policy.perTryTimeout ? durationMs(policy.perTryTimeout) : 0,
      retriableStatusCodes: new Set(policy.retriableStatusCodes),
      avoidPreviousHosts,
      backOffBaseMs: base,
      backOffMaxMs: max,
    },
  };
}
