// The access_log list of one connection manager: Telemetry `accessLogging` when any applies to this
// direction, otherwise meshConfig `accessLogFile` with `accessLogFormat` and `accessLogEncoding`.
import type { EnvoyFileAccessLogProvider, MeshConfig, Telemetry } from '@heddle/api';
import type { AccessLog } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import type { TranslationContext } from '../../translate-proxy.ts';
import { selectLogProviders } from './access-log-selection.ts';
import { telemetryRef } from './applicable-telemetries.ts';
import { findProvider } from './extension-providers.ts';
import { fileAccessLog } from './file-access-log.ts';
import { ISTIO_JSON_LOG_FORMAT, ISTIO_TEXT_LOG_FORMAT } from './istio-log-formats.ts';
import { jsonLogFormat, jsonLogFormatFromText, textLogFormat, type LogFormatResult } from './log-format.ts';
import { warnOnce } from './warn-once.ts';
import { INVALID_LOG_FORMAT, TELEMETRY_WARNINGS } from './warning-codes.ts';
import type { TrafficDirection } from './workload-mode.ts';

/** meshConfig's format: `accessLogFormat` in `accessLogEncoding`, or Istio's default of that encoding. */
function meshLogFormat(mesh: MeshConfig): LogFormatResult {
  const text = mesh.accessLogFormat ?? '';
  if (mesh.accessLogEncoding === 'JSON')
    return text.trim() === '' ? jsonLogFormat(ISTIO_JSON_LOG_FORMAT) : jsonLogFormatFromText(text);
  return textLogFormat(text === '' ? ISTIO_TEXT_LOG_FORMAT : text);
}

/** A provider's own format wins; without one the mesh's format applies, as with meshConfig logging. */
function providerLogFormat(provider: EnvoyFileAccessLogProvider, mesh: MeshConfig): LogFormatResult {
  const format = provider.logFormat;
  if (format?.labels !== undefined) return jsonLogFormat(format.labels);
  if (format?.text !== undefined) return textLogFormat(format.text);
  return meshLogFormat(mesh);
}

export function accessLogsFor(
  ctx: TranslationContext,
  telemetries: readonly Telemetry[],
  direction: TrafficDirection,
): AccessLog[] {
  const mesh = ctx.index.snapshot.meshConfig;
  const selected = selectLogProviders(telemetries, mesh, direction);
  if (selected === undefined) {
    const path = mesh.accessLogFile ?? '';
    if (path === '') return [];
    const format = meshLogFormat(mesh);
    if ('problem' in format) {
      warnOnce(ctx, {
        code: INVALID_LOG_FORMAT,
        message: `meshConfig accessLogFormat: ${format.problem}; no access log`,
      });
      return [];
    }
    return [fileAccessLog({ path, format: format.format })];
  }
  const logs: AccessLog[] = [];
  for (const choice of selected) {
    const resource = telemetryRef(choice.source);
    const provider = findProvider(mesh, choice.name);
    if (!provider) {
      warnOnce(ctx, {
        code: TELEMETRY_WARNINGS.PROVIDER_NOT_FOUND,
        message: `access logging provider "${choice.name}" is not in meshConfig.extensionProviders; it is skipped`,
        resource,
      });
      continue;
    }
    const file = provider.envoyFileAccessLog;
    if (!file) {
      warnOnce(ctx, {
        code: provider.envoyOtelAls
          ? TELEMETRY_WARNINGS.UNSUPPORTED_FIELD
          : TELEMETRY_WARNINGS.PROVIDER_WRONG_KIND,
        message: provider.envoyOtelAls
          ? `access logging provider "${choice.name}" (envoyOtelAls) is not supported; use envoyFileAccessLog`
          : `provider "${choice.name}" is not an access logging provider; it is skipped`,
        resource,
      });
      continue;
    }
    const format = providerLogFormat(file, mesh);
    if ('problem' in format) {
      warnOnce(ctx, {
        code: INVALID_LOG_FORMAT,
        message: `access logging provider "${choice.name}": ${format.problem}; it is skipped`,
        resource,
      });
      continue;
    }
    logs.push(
      fileAccessLog({
        path: file.path || '/dev/stdout',
        format: format.format,
        ...(choice.filter !== undefined ? { filter: choice.filter } : {}),
      }),
    );
  }
  return logs;
}
