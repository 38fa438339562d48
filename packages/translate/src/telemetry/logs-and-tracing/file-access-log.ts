// One `envoy.access_loggers.file` entry of a connection manager, with an optional CEL filter.
import { create } from '@bufbuild/protobuf';
import { packAny } from '@heddle/xds';
import { AccessLogSchema, type AccessLog } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import { ExpressionFilterSchema } from '@heddle/xds/gen/envoy/extensions/access_loggers/filters/cel/v3/cel_pb.ts';
import { FileAccessLogSchema } from '@heddle/xds/gen/envoy/extensions/access_loggers/file/v3/file_pb.ts';
import { ACCESS_LOGGERS } from './envoy-names.ts';
import type { LogFormat } from './log-format.ts';

export interface FileAccessLogSpec {
  /** A file path, or `/dev/stdout`. */
  readonly path: string;
  readonly format: LogFormat;
  /** CEL expression (Istio's attribute names); only streams it selects are logged. */
  readonly filter?: string;
}

export function fileAccessLog(spec: FileAccessLogSpec): AccessLog {
  return create(AccessLogSchema, {
    name: ACCESS_LOGGERS.FILE,
    ...(spec.filter !== undefined
      ? {
          filter: {
            filterSpecifier: {
              case: 'extensionFilter',
              value: {
                name: ACCESS_LOGGERS.CEL_FILTER,
                configType: {
                  case: 'typedConfig',
                  value: packAny(ExpressionFilterSchema, { expression: spec.filter }),
                },
              },
            },
          },
        }
      : {}),
    configType: {
      case: 'typedConfig',
      value: packAny(FileAccessLogSchema, {
        path: spec.path,
        accessLogFormat: { case: 'logFormat', value: spec.format },
      }),
    },
  });
}
