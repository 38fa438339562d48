// The pure fault decision: given the compiled config, the request headers and a random source, whether to
// delay (and how long) and whether to abort (and with what). The filter only acts on the answer.
import { firstValue, type HeaderMap } from '../../../http/headers.ts';
import type { FaultConfig, Percentage } from './config.ts';

export interface FaultDecision {
  readonly delayMs?: number;
  readonly abort?: { readonly httpStatus?: number; readonly grpcStatus?: number };
}

export const FAULT_HEADERS = {
  DELAY: 'x-envoy-fault-delay-request',
  DELAY_PERCENTAGE: 'x-envoy-fault-delay-request-percentage',
  ABORT: 'x-envoy-fault-abort-request',
  ABORT_GRPC: 'x-envoy-fault-abort-grpc-request',
  ABORT_PERCENTAGE: 'x-envoy-fault-abort-request-percentage',
  DOWNSTREAM_NODE: 'x-envoy-downstream-service-node',
} as const;

function integerHeader(headers: HeaderMap, name: string): number | undefined {
  const value = firstValue(headers, name);
  return value !== undefined && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/** A percentage header may only lower the configured numerator, never raise it. */
function chosen(
  percentage: Percentage,
  headers: HeaderMap,
  header: string | undefined,
  random: () => number,
): boolean {
  const fromHeader = header !== undefined ? integerHeader(headers, header) : undefined;
  const numerator =
    fromHeader !== undefined ? Math.min(fromHeader, percentage.numerator) : percentage.numerator;
  if (numerator <= 0) return false;
  if (numerator >= percentage.denominator) return true;
  return random() * percentage.denominator < numerator;
}

/** Whether the config applies to this request at all (headers, downstream node, upstream cluster). */
export function faultApplies(config: FaultConfig, headers: HeaderMap, cluster: string | undefined): boolean {
  if (config.upstreamCluster !== undefined && config.upstreamCluster !== cluster) return false;
  if (config.downstreamNodes.size > 0) {
    const node = firstValue(headers, FAULT_HEADERS.DOWNSTREAM_NODE);
    if (node === undefined || !config.downstreamNodes.has(node)) return false;
  }
  return config.headers.every((test) => test(headers));
}

export function decideFault(config: FaultConfig, headers: HeaderMap, random: () => number): FaultDecision {
  let delayMs: number | undefined;
  const delay = config.delay;
  if (delay) {
    const ms = delay.fromHeader ? integerHeader(headers, FAULT_HEADERS.DELAY) : delay.fixedMs;
    const header = delay.fromHeader ? FAULT_HEADERS.DELAY_PERCENTAGE : undefined;
    if (ms !== undefined && ms > 0 && chosen(delay.percentage, headers, header, random)) delayMs = ms;
  }
  let abort: FaultDecision['abort'];
  const a = config.abort;
  if (a) {
    let httpStatus = a.httpStatus;
    let grpcStatus = a.grpcStatus;
    if (a.fromHeader) {
      const status = integerHeader(headers, FAULT_HEADERS.ABORT);
      httpStatus = status !== undefined && status >= 200 && status < 600 ? status : undefined;
      grpcStatus = integerHeader(headers, FAULT_HEADERS.ABORT_GRPC);
    }
    const header = a.fromHeader ? FAULT_HEADERS.ABORT_PERCENTAGE : undefined;
    if (
      (httpStatus !== undefined || grpcStatus !== undefined) &&
      chosen(a.percentage, headers, header, random)
    ) {
      abort = httpStatus !== undefined ? { httpStatus } : { grpcStatus: grpcStatus as number };
    }
  }
  return { ...(delayMs !== undefined ? { delayMs } : {}), ...(abort ? { abort } : {}) };
}
