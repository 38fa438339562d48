// An Envoy route retry policy as a gRPC client reads it: gRPC status names only, at least one retry.
import { create } from '@bufbuild/protobuf';
import {
  RetryPolicySchema,
  type RetryPolicy,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';

/** The `retry_on` conditions gRPC clients act on (gRFC A44); they ignore Envoy's HTTP conditions. */
export const GRPC_RETRY_ON: ReadonlySet<string> = new Set([
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

export interface GrpcRetry {
  /** Undefined: no retries (gRPC clients reject `num_retries: 0`, so "none" is no policy at all). */
  readonly policy?: RetryPolicy;
  /** The policy asked for retries, but on no condition a gRPC client knows. */
  readonly noGrpcCondition: boolean;
  /** The policy set a per-try timeout, which gRPC clients do not implement. */
  readonly perTryTimeout: boolean;
}

/**
 * Istio's mesh default (2 retries on `connect-failure,refused-stream,unavailable,cancelled,…`) becomes
 * 2 retries on `unavailable,cancelled` — what a gRPC client makes of the policy Istio's own gRPC generator sends.
 */
export function grpcRetryPolicy(envoy: RetryPolicy | undefined): GrpcRetry {
  const perTryTimeout = envoy?.perTryTimeout !== undefined;
  if (!envoy || (envoy.numRetries ?? 1) < 1) return { noGrpcCondition: false, perTryTimeout };
  const conditions = [
    ...new Set(
      envoy.retryOn
        .split(',')
        .map((c) => c.trim())
        .filter((c) => GRPC_RETRY_ON.has(c)),
    ),
  ];
  if (conditions.length === 0) return { noGrpcCondition: true, perTryTimeout };
  // gRPC clients reject a zero base interval; without one they back off from 25 ms.
  const backoff = envoy.retryBackOff?.baseInterval;
  const positive = backoff !== undefined && (backoff.seconds > 0n || backoff.nanos > 0);
  return {
    policy: create(RetryPolicySchema, {
      retryOn: conditions.join(','),
      numRetries: envoy.numRetries ?? 1,
      retryBackOff: positive ? { baseInterval: backoff } : undefined,
    }),
    noGrpcCondition: false,
    perTryTimeout,
  };
}
