// Access logs (meshConfig accessLogFile/Format/Encoding and the Telemetry API) and tracing of HTTP
// connection managers.
import type { AccessLog } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import type { HcmScope, HcmTracing } from '../../listener/hcm-hooks.ts';
import type { TranslationContext } from '../../translate-proxy.ts';

export interface LogsAndTracing {
  readonly accessLog: readonly AccessLog[];
  readonly tracing?: HcmTracing;
}

/** Nothing yet: access logging and tracing plug in here. */
export function logsAndTracingFor(_ctx: TranslationContext, _scope: HcmScope): LogsAndTracing {
  return { accessLog: [] };
}
