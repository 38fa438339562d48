// The telemetry part of every HTTP connection manager: the stats filter, access logs (meshConfig and the
// Telemetry API) and tracing.
import type { AccessLog } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { HcmScope, HcmTracing } from '../listener/hcm-hooks.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { logsAndTracingFor } from './logs-and-tracing/logs-and-tracing-hcm.ts';
import { statsHttpFilters } from './stats/stats-hcm.ts';

export interface TelemetryHcmParts {
  readonly telemetry?: readonly HttpFilter[];
  readonly accessLog?: readonly AccessLog[];
  readonly tracing?: HcmTracing;
}

export function telemetryHcmExtensions(ctx: TranslationContext, scope: HcmScope): TelemetryHcmParts {
  const stats = statsHttpFilters(ctx, scope);
  const logs = logsAndTracingFor(ctx, scope);
  return {
    ...(stats.length > 0 ? { telemetry: stats } : {}),
    accessLog: logs.accessLog,
    ...(logs.tracing ? { tracing: logs.tracing } : {}),
  };
}
