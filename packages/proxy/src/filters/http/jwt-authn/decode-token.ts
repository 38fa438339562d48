// Splits a compact JWS and reads its header and claims without trusting them: enough to pick the provider by
// `iss` and to refuse malformed or oversized tokens before any signature work.
import { JWT_STATUS, type JwtStatus } from './jwt-status.ts';

/** Tokens longer than this are refused unparsed (Envoy bounds headers at 60 KiB; one token needs far less). */
export const MAX_TOKEN_LENGTH = 8192;

export interface DecodedToken {
  readonly token: string;
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** The payload segment as sent (base64url), for `forward_payload_header`. */
  readonly payloadSegment: string;
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;

function parseSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function decodeToken(token: string): DecodedToken | { readonly error: JwtStatus } {
  if (token.length > MAX_TOKEN_LENGTH) return { error: JWT_STATUS.tooLarge };
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p)) || parts[0] === '' || parts[1] === '') {
    return { error: JWT_STATUS.badFormat };
  }
  const header = parseSegment(parts[0] as string);
  if (!header) return { error: JWT_STATUS.badHeader };
  const payload = parseSegment(parts[1] as string);
  if (!payload) return { error: JWT_STATUS.badPayload };
  return { token, header, payload, payloadSegment: parts[1] as string };
}
