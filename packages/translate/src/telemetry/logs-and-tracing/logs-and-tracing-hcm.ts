// Access logs (meshConfig accessLogFile/Format/Encoding and the Telemetry API) and tracing of HTTP
// connection managers.
import type { AccessLog } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import type { HcmScope, HcmTracing } from '../../listener/hcm-hooks.ts';
import type { TranslationContext } from '../../translate-proxy.ts';
import { accessLogsFor } from './access-logs.ts';
import { applicableTelemetries } from './applicable-telemetries.ts';
import { tracingFor } from './tracing-block.ts';
import { directionOf } from './workload-mode.ts';

export interface LogsAndTracing {
  readonly accessLog: readonly AccessLog[];
  readonly tracing?: HcmTracing;
}

export function logsAndTracingFor(ctx: TranslationContext, scope: HcmScope): LogsAndTracing {
  const telemetries = applicableTelemetries(ctx);
  const direction = directionOf(scope.listenerClass);
  const tracing = tracingFor(ctx, telemetries, scope, direction);
  return { accessLog: accessLogsFor(ctx, telemetries, direction), ...(tracing ? { tracing } : {}) };
}
