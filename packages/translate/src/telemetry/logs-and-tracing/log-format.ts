// The log_format of a file access log: Envoy format text, or a JSON object of key → format string, checked
// with the same parser the API uses so the proxy never receives a format it would reject.
import type { MessageInitShape } from '@bufbuild/protobuf';
import { parseAccessLogFormat } from '@heddle/api';
import type { SubstitutionFormatStringSchema } from '@heddle/xds/gen/envoy/config/core/v3/substitution_format_string_pb.ts';

export type LogFormat = MessageInitShape<typeof SubstitutionFormatStringSchema>;

export type LogFormatResult = { readonly format: LogFormat } | { readonly problem: string };

export function textLogFormat(text: string): LogFormatResult {
  const parsed = parseAccessLogFormat(text);
  if ('error' in parsed) return { problem: `${parsed.error} (at offset ${parsed.offset})` };
  return {
    format: {
      format: { case: 'textFormatSource', value: { specifier: { case: 'inlineString', value: text } } },
    },
  };
}

export function jsonLogFormat(fields: Readonly<Record<string, unknown>>): LogFormatResult {
  const json: Record<string, string> = {};
  for (const key of Object.keys(fields).sort()) {
    const value = fields[key];
    if (typeof value !== 'string') return { problem: `JSON log key "${key}" must map to a format string` };
    const parsed = parseAccessLogFormat(value);
    if ('error' in parsed) return { problem: `JSON log key "${key}": ${parsed.error}` };
    json[key] = value;
  }
  return { format: { format: { case: 'jsonFormat', value: json } } };
}

/** meshConfig `accessLogFormat` under JSON encoding: a JSON object written as text. */
export function jsonLogFormatFromText(text: string): LogFormatResult {
  let fields: unknown;
  try {
    fields = JSON.parse(text);
  } catch {
    return { problem: 'accessLogFormat with accessLogEncoding JSON must be a JSON object of key → format' };
  }
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields))
    return { problem: 'accessLogFormat with accessLogEncoding JSON must be a JSON object of key → format' };
  return jsonLogFormat(fields as Record<string, unknown>);
}
