// Istio HTTPFaultInjection → Envoy HTTPFault, placed per route under the `envoy.filters.http.fault` filter.
import { create } from '@bufbuild/protobuf';
import type { HTTPFaultInjection } from '@heddle/api';
import {
  HTTPFaultSchema,
  type HTTPFault,
} from '@heddle/xds/gen/envoy/extensions/filters/http/fault/v3/fault_pb.ts';
import { protoDuration } from '../cluster/proto-duration.ts';
import { fractionalPercent } from './percent.ts';

/** gRPC status names as Istio accepts them in `abort.grpcStatus`. */
export const GRPC_STATUS_CODES: Readonly<Record<string, number>> = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
};

export function grpcStatusCode(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name) <= 16 ? Number(name) : undefined;
  return GRPC_STATUS_CODES[name.toUpperCase()];
}

/**
 * Undefined when nothing translatable is left. The percentage is always explicit (an unset one is 0%, as in
 * Istio), because Envoy and gRPC clients default a missing fraction differently.
 */
export function translateFault(fault: HTTPFaultInjection): HTTPFault | undefined {
  const fixedDelay = protoDuration(fault.delay?.fixedDelay);
  const delay =
    fault.delay && fixedDelay
      ? {
          faultDelaySecifier: { case: 'fixedDelay', value: fixedDelay } as const,
          percentage: fractionalPercent(fault.delay.percentage?.value ?? fault.delay.percent ?? 0),
        }
      : undefined;
  const abort = fault.abort;
  const grpcStatus = abort?.grpcStatus !== undefined ? grpcStatusCode(abort.grpcStatus) : undefined;
  const errorType =
    abort?.httpStatus !== undefined
      ? ({ case: 'httpStatus', value: abort.httpStatus } as const)
      : grpcStatus !== undefined
        ? ({ case: 'grpcStatus', value: grpcStatus } as const)
        : undefined;
  const aborts =
    abort && errorType
      ? { errorType, percentage: fractionalPercent(abort.percentage?.value ?? 0) }
      : undefined;
  if (!delay && !aborts) return undefined;
  return create(HTTPFaultSchema, { delay, abort: aborts });
}

/** The fault fields that Istio accepts but does not implement, and that Heddle therefore ignores. */
export function ignoredFaultFields(fault: HTTPFaultInjection): string[] {
  const ignored: string[] = [];
  if (fault.delay?.exponentialDelay !== undefined) ignored.push('delay.exponentialDelay');
  if (fault.abort?.http2Error !== undefined) ignored.push('abort.http2Error');
  if (fault.abort?.grpcStatus !== undefined && grpcStatusCode(fault.abort.grpcStatus) === undefined) {
    ignored.push(`abort.grpcStatus (${fault.abort.grpcStatus} is not a gRPC status name)`);
  }
  return ignored;
}
