// Compiles a connection manager's `access_log` list once per config: `envoy.access_loggers.file` loggers
// (text or JSON log_format, Envoy's default format when none) with an optional CEL extension filter. Any
// other logger, filter or a bad format is refused with an error naming the entry.
import { unpackAnyAs } from '@heddle/xds';
import type { AccessLog } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import { ExpressionFilterSchema } from '@heddle/xds/gen/envoy/extensions/access_loggers/filters/cel/v3/cel_pb.ts';
import {
  FileAccessLogSchema,
  type FileAccessLog,
} from '@heddle/xds/gen/envoy/extensions/access_loggers/file/v3/file_pb.ts';
import type { StreamInfo } from '../../http/stream-info.ts';
import { compileCelFilter, type StreamPredicate } from './cel-filter.ts';
import {
  compileJsonFormat,
  compileTextFormat,
  ENVOY_DEFAULT_FORMAT,
  type LogFormatter,
} from './log-formatter.ts';
import type { LogSinks } from './log-sink.ts';

export const FILE_ACCESS_LOG = 'envoy.access_loggers.file';
export const CEL_FILTER = 'envoy.access_loggers.extension_filters.cel';
const FILE_ACCESS_LOG_TYPE = 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog';
const CEL_FILTER_TYPE = 'type.googleapis.com/envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter';

export interface AccessLogger {
  readonly path: string;
  log(info: StreamInfo): void;
}

function compileLogFormat(file: FileAccessLog): LogFormatter | { error: string } {
  const choice = file.accessLogFormat;
  switch (choice.case) {
    case undefined:
      return compileTextFormat(ENVOY_DEFAULT_FORMAT);
    case 'format':
      return compileTextFormat(choice.value);
    case 'jsonFormat':
      return compileJsonFormat(choice.value);
    case 'typedJsonFormat':
      return compileJsonFormat(choice.value);
    case 'logFormat': {
      const format = choice.value.format;
      if (format.case === 'textFormat') return compileTextFormat(format.value);
      if (format.case === 'jsonFormat') return compileJsonFormat(format.value);
      if (format.case === 'textFormatSource') {
        const source = format.value.specifier;
        if (source.case !== 'inlineString')
          return {
            error: `log_format text_format_source: only inline_string is supported, not ${source.case ?? 'empty'}`,
          };
        return compileTextFormat(source.value);
      }
      return compileTextFormat(ENVOY_DEFAULT_FORMAT);
    }
  }
}

function compileFilter(entry: AccessLog): StreamPredicate | undefined | { error: string } {
  const filter = entry.filter?.filterSpecifier;
  if (!filter || filter.case === undefined) return undefined;
  if (filter.case !== 'extensionFilter')
    return { error: `filter ${filter.case} is not supported; use the ${CEL_FILTER} extension filter` };
  const extension = filter.value;
  const typed = extension.configType.case === 'typedConfig' ? extension.configType.value : undefined;
  if (!typed || typed.typeUrl !== CEL_FILTER_TYPE)
    return { error: `extension filter "${extension.name}" is not supported; only ${CEL_FILTER} is` };
  const config = unpackAnyAs(typed, ExpressionFilterSchema);
  if (!config) return { error: `extension filter "${extension.name}": cannot decode ExpressionFilter` };
  return compileCelFilter(config.expression);
}

export function compileAccessLogs(
  entries: readonly AccessLog[],
  sinks: LogSinks,
): AccessLogger[] | { readonly error: string } {
  const loggers: AccessLogger[] = [];
  for (const [index, entry] of entries.entries()) {
    const where = `access_log[${index}] (${entry.name || 'unnamed'})`;
    const typed = entry.configType.case === 'typedConfig' ? entry.configType.value : undefined;
    if (!typed || typed.typeUrl !== FILE_ACCESS_LOG_TYPE)
      return {
        error: `${where}: only ${FILE_ACCESS_LOG} (FileAccessLog) is supported, got ${typed?.typeUrl ?? 'no typed_config'}`,
      };
    const file = unpackAnyAs(typed, FileAccessLogSchema);
    if (!file) return { error: `${where}: cannot decode FileAccessLog` };
    if (file.path === '') return { error: `${where}: path must not be empty` };
    const format = compileLogFormat(file);
    if ('error' in format) return { error: `${where}: ${format.error}` };
    const filter = compileFilter(entry);
    if (filter && 'error' in filter) return { error: `${where}: ${filter.error}` };
    const sink = sinks.sink(file.path);
    loggers.push({
      path: file.path,
      log: filter
        ? (info) => {
            if (filter(info)) sink.write(format(info));
          }
        : (info) => sink.write(format(info)),
    });
  }
  return loggers;
}
