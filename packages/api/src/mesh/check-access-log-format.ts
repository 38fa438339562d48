// Reports access-log formats (meshConfig accessLogFormat, provider logFormat) that Envoy would refuse.
import { INSTALL_CODES } from '../findings/codes.ts';
import type { FieldPath } from '../source/field-path.ts';
import type { RuleContext } from '../validate/rule-context.ts';
import { parseAccessLogFormat } from './access-log-format.ts';
import { checkString, describeValue, isRecord } from './field-checks.ts';

/** Checks one Envoy format string. */
export function checkFormatString(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (!checkString(ctx, value, path)) return;
  const parsed = parseAccessLogFormat(value);
  if ('error' in parsed) {
    ctx.error(INSTALL_CODES.ACCESS_LOG_FORMAT_INVALID, path, `${parsed.error}${where(value, parsed.offset)}`);
  }
}

/** Checks a JSON log format: every string value, at any depth, is a format string. */
export function checkFormatLabels(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) checkFormatLabels(ctx, child, [...path, key]);
  } else if (typeof value === 'string') {
    checkFormatString(ctx, value, path);
  }
}

/**
 * meshConfig.accessLogFormat: a format string with TEXT encoding; with JSON encoding, a JSON object whose
 * values are format strings.
 */
export function checkMeshAccessLogFormat(
  ctx: RuleContext,
  value: unknown,
  encoding: unknown,
  path: FieldPath,
): void {
  if (encoding !== 'JSON' || typeof value !== 'string' || value.trim() === '') {
    checkFormatString(ctx, value, path);
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) {
    ctx.error(
      INSTALL_CODES.ACCESS_LOG_FORMAT_INVALID,
      path,
      `with accessLogEncoding JSON the format must be a JSON object such as {"code": "%RESPONSE_CODE%"}, not ${parsed === undefined ? 'text that does not parse as JSON' : describeValue(parsed)}`,
    );
    return;
  }
  for (const [key, child] of Object.entries(parsed)) {
    if (typeof child !== 'string') continue;
    const result = parseAccessLogFormat(child);
    if ('error' in result)
      ctx.error(INSTALL_CODES.ACCESS_LOG_FORMAT_INVALID, path, `in "${key}": ${result.error}`);
  }
}

/** Where in a (possibly multi-line) format the problem is, for the message. */
function where(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return text.includes('\n') ? ` (format line ${line}, column ${column})` : ` (at character ${offset + 1})`;
}
