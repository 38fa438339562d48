// The `envoy.filters.http.fault` factory: HTTPFault at filter level and per route, compiled once.
import type { Any } from '@bufbuild/protobuf/wkt';
import { FAULT_TYPE_URL, HTTP_FILTERS, unpackAnyAs } from '@heddle/xds';
import { HTTPFaultSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/fault/v3/fault_pb.ts';
import type { FactoryResult, HttpFilterFactory } from '../http-filter.ts';
import { compileFaultConfig, type FaultConfig } from './config.ts';
import { FaultFilter, type FaultShared } from './filter.ts';

function parse(any: Any | undefined): FactoryResult<FaultConfig | undefined> {
  if (!any) return { value: undefined };
  const fault = unpackAnyAs(any, HTTPFaultSchema);
  if (!fault) return { error: `fault: cannot decode ${any.typeUrl}` };
  return compileFaultConfig(fault);
}

export const faultFilterFactory: HttpFilterFactory = {
  name: HTTP_FILTERS.FAULT,
  configTypeUrls: [FAULT_TYPE_URL],
  perRouteTypeUrls: [FAULT_TYPE_URL],
  createFilterFactory(config, context) {
    const parsed = parse(config);
    if ('error' in parsed) return parsed;
    const prefix = `${context.statPrefix}fault.`;
    const shared: FaultShared = {
      ...(parsed.value ? { config: parsed.value } : {}),
      stats: {
        delaysInjected: context.stats.counter(`${prefix}delays_injected`),
        abortsInjected: context.stats.counter(`${prefix}aborts_injected`),
        faultsOverflow: context.stats.counter(`${prefix}faults_overflow`),
        activeFaults: context.stats.gauge(`${prefix}active_faults`),
      },
    };
    return { value: { createFilter: (callbacks) => new FaultFilter(shared, callbacks) } };
  },
  parsePerRouteConfig: (config) => parse(config),
};
