// Compiled access-log formatters: a TEXT line (unavailable values as `-`) or a JSON object per line whose
// values keep their type when the value is a single operator (numbers stay numbers, unavailable is null).
import type { StreamInfo } from '../../http/stream-info.ts';
import { parseFormat } from './format-parser.ts';
import { compileOperator, type LogValue, type OperatorReader } from './log-operators.ts';

export type LogFormatter = (info: StreamInfo) => string;

type Piece = string | { readonly read: OperatorReader; readonly maxLength?: number };

/** Envoy's format when a file logger names none. */
export const ENVOY_DEFAULT_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% ' +
  '%RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% ' +
  '"%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"\n';

function compilePieces(text: string): Piece[] | { error: string } {
  const parts = parseFormat(text);
  if ('error' in parts) return parts;
  const pieces: Piece[] = [];
  for (const part of parts) {
    if (part.kind === 'literal') {
      pieces.push(part.text);
      continue;
    }
    const read = compileOperator(part.name, part.argument);
    if ('error' in read) return read;
    pieces.push({ read, ...(part.maxLength !== undefined ? { maxLength: part.maxLength } : {}) });
  }
  return pieces;
}

function clip(value: LogValue, maxLength: number | undefined): LogValue {
  return maxLength !== undefined && typeof value === 'string' ? value.slice(0, maxLength) : value;
}

function renderText(pieces: readonly Piece[], info: StreamInfo): string {
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') out += piece;
    else {
      const value = clip(piece.read(info), piece.maxLength);
      out += value === undefined || value === '' ? '-' : String(value);
    }
  }
  return out;
}

export function compileTextFormat(text: string): LogFormatter | { error: string } {
  const pieces = compilePieces(text);
  if ('error' in pieces) return pieces;
  return (info) => renderText(pieces, info);
}

export function compileJsonFormat(
  fields: Readonly<Record<string, unknown>>,
): LogFormatter | { error: string } {
  const compiled: [string, Piece[]][] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string')
      return { error: `json_format key "${key}": only string values are supported` };
    const pieces = compilePieces(value);
    if ('error' in pieces) return { error: `json_format key "${key}": ${pieces.error}` };
    compiled.push([key, pieces]);
  }
  return (info) => {
    const object: Record<string, unknown> = {};
    for (const [key, pieces] of compiled) {
      const only = pieces.length === 1 ? pieces[0] : undefined;
      if (only !== undefined && typeof only !== 'string') {
        const value = clip(only.read(info), only.maxLength);
        object[key] = value === undefined || value === '' ? null : value;
      } else object[key] = renderText(pieces, info);
    }
    return `${JSON.stringify(object)}\n`;
  };
}
