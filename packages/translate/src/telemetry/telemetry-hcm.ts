// The telemetry part of every HTTP connection manager: the stats filter, access logs (meshConfig and the
// Telemetry API) and tracing.
import type { AccessLog } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { HcmScope, HcmTracing } from '../listener/hcm-hooks.ts';
import type { TranslationContext } from '../translate-proxy.ts';

export interface TelemetryHcmParts {
  readonly telemetry?: readonly HttpFilter[];
  readonly accessLog?: readonly AccessLog[];
  readonly tracing?: HcmTracing;
}

/** Nothing yet: stats, access logging and tracing plug in here. */
export function telemetryHcmExtensions(_ctx: TranslationContext, _scope: HcmScope): TelemetryHcmParts {
  return {};
}
