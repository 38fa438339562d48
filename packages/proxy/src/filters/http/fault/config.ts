// HTTPFault compiled once per update: what may be delayed or aborted, how often, and for which requests.
import { durationMs } from '@bufbuild/protobuf/wkt';
import {
  HTTPFaultSchema,
  type HTTPFault,
} from '@heddle/xds/gen/envoy/extensions/filters/http/fault/v3/fault_pb.ts';
import {
  FractionalPercent_DenominatorType as Denominator,
  type FractionalPercent,
} from '@heddle/xds/gen/envoy/type/v3/percent_pb.ts';
import { compileHeaderMatchers, type HeaderPredicate } from '../../../http/routing/header-matcher.ts';
import { firstUnsupportedField } from '../../../http/routing/unsupported-fields.ts';
import type { FactoryResult } from '../http-filter.ts';

/** A percentage as numerator over denominator, so a header can replace the numerator as Envoy allows. */
export interface Percentage {
  readonly numerator: number;
  readonly denominator: number;
}

export interface FaultConfig {
  readonly delay?: {
    readonly fixedMs?: number;
    readonly fromHeader: boolean;
    readonly percentage: Percentage;
  };
  readonly abort?: {
    readonly httpStatus?: number;
    readonly grpcStatus?: number;
    readonly fromHeader: boolean;
    readonly percentage: Percentage;
  };
  readonly upstreamCluster?: string;
  readonly headers: readonly HeaderPredicate[];
  readonly downstreamNodes: ReadonlySet<string>;
  readonly maxActiveFaults?: number;
}

const SUPPORTED = new Set([
  'delay',
  'abort',
  'upstreamCluster',
  'headers',
  'downstreamNodes',
  'maxActiveFaults',
  'delayPercentRuntime',
  'abortPercentRuntime',
  'delayDurationRuntime',
  'abortHttpStatusRuntime',
  'maxActiveFaultsRuntime',
  'responseRateLimitPercentRuntime',
  'abortGrpcStatusRuntime',
  'disableDownstreamClusterStats',
  'filterMetadata',
]);

const DENOMINATORS: Readonly<Record<number, number>> = {
  [Denominator.HUNDRED]: 100,
  [Denominator.TEN_THOUSAND]: 10_000,
  [Denominator.MILLION]: 1_000_000,
};

/** Envoy's FaultDelay/FaultAbort percentage defaults to 100% when unset. */
function percentage(p: FractionalPercent | undefined): Percentage {
  if (!p) return { numerator: 100, denominator: 100 };
  return { numerator: p.numerator, denominator: DENOMINATORS[p.denominator] ?? 100 };
}

export function compileFaultConfig(fault: HTTPFault): FactoryResult<FaultConfig> {
  const unsupported = firstUnsupportedField(HTTPFaultSchema, fault, SUPPORTED);
  if (unsupported) return { error: `fault: field ${unsupported} is not supported` };
  const headers = compileHeaderMatchers(fault.headers);
  if ('error' in headers) return { error: `fault.headers: ${headers.error}` };
  let delay: FaultConfig['delay'];
  if (fault.delay) {
    const spec = fault.delay.faultDelaySecifier;
    if (spec.case === undefined) return { error: 'fault.delay has neither fixed_delay nor header_delay' };
    delay = {
      ...(spec.case === 'fixedDelay' ? { fixedMs: durationMs(spec.value) } : {}),
      fromHeader: spec.case === 'headerDelay',
      percentage: percentage(fault.delay.percentage),
    };
  }
  let abort: FaultConfig['abort'];
  if (fault.abort) {
    const spec = fault.abort.errorType;
    if (spec.case === 'httpStatus' && (spec.value < 200 || spec.value > 599)) {
      return { error: `fault.abort.http_status ${spec.value} is outside 200-599` };
    }
    if (spec.case === undefined) return { error: 'fault.abort has no error type' };
    abort = {
      ...(spec.case === 'httpStatus' ? { httpStatus: spec.value } : {}),
      ...(spec.case === 'grpcStatus' ? { grpcStatus: spec.value } : {}),
      fromHeader: spec.case === 'headerAbort',
      percentage: percentage(fault.abort.percentage),
    };
  }
  return {
    value: {
      ...(delay ? { delay } : {}),
      ...(abort ? { abort } : {}),
      ...(fault.upstreamCluster !== '' ? { upstreamCluster: fault.upstreamCluster } : {}),
      headers: headers.value,
      downstreamNodes: new Set(fault.downstreamNodes),
      ...(fault.maxActiveFaults !== undefined ? { maxActiveFaults: fault.maxActiveFaults } : {}),
    },
  };
}
