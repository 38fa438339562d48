// The timeout a request gets: the route's, or for gRPC the client's `grpc-timeout` capped by the route's
// max_grpc_timeout / grpc_timeout_header_max, and never beyond max_stream_duration.
import { firstValue, type HeaderMap } from '../../../http/headers.ts';
import type { ForwardAction } from '../../../http/routing/compiled-route.ts';

/** setTimeout's ceiling; larger values are clamped rather than overflowing into an immediate timer. */
export const MAX_TIMER_MS = 2_147_483_647;

const UNIT_MS: Readonly<Record<string, number>> = {
  H: 3_600_000,
  M: 60_000,
  S: 1000,
  m: 1,
  u: 0.001,
  n: 0.000_001,
};

/** gRPC's `grpc-timeout`: at most 8 digits and a unit; undefined when malformed. */
export function parseGrpcTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{1,8})([HMSmun])$/.exec(value.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return Math.min(Math.ceil(ms), MAX_TIMER_MS);
}

/** 0 means no timeout. */
export function routeTimeoutMs(action: ForwardAction, headers: HeaderMap): number {
  let timeout = action.timeoutMs;
  const grpc = (firstValue(headers, 'content-type') ?? '').startsWith('application/grpc');
  if (action.grpcTimeoutMaxMs !== undefined && grpc) {
    // As Envoy: an absent header counts as infinite, and a cap of 0 means no cap.
    const requested = parseGrpcTimeout(firstValue(headers, 'grpc-timeout')) ?? 0;
    const max = action.grpcTimeoutMaxMs;
    timeout = max > 0 && (requested === 0 || requested > max) ? max : requested;
    if (timeout > 0 && action.grpcTimeoutOffsetMs > 0)
      timeout = Math.max(1, timeout - action.grpcTimeoutOffsetMs);
  }
  if (action.maxStreamDurationMs > 0)
    timeout = timeout > 0 ? Math.min(timeout, action.maxStreamDurationMs) : action.maxStreamDurationMs;
  return Math.min(timeout, MAX_TIMER_MS);
}
