// The two rule actions that answer without an upstream: redirect and directResponse.
import { NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { checkPortAt, isRecord, isSet, numberAt, recordAt, stringAt } from '../value-checks.ts';
import { isValidHttpStatus } from './fault.ts';

// Envoy's redirect action can only send these; another 3xx is answered as 301.
const SENDABLE_REDIRECTS = [301, 302, 303, 307, 308];
const KIB = 1024;
const MIB = 1024 * KIB;

export function checkRedirect(ctx: RuleContext, redirect: unknown, path: FieldPath): void {
  if (!isRecord(redirect)) return;
  if (!['uri', 'authority', 'port', 'derivePort', 'scheme'].some((key) => isSet(redirect[key]))) {
    ctx.error(
      NETWORKING_CODES.VS_REDIRECT_EMPTY,
      path,
      'a redirect must change something: set uri, authority, scheme or port',
    );
  }
  const code = numberAt(redirect, 'redirectCode');
  if (code !== undefined && code !== 0) {
    if (code < 300 || code > 399) {
      ctx.error(
        NETWORKING_CODES.VS_REDIRECT_CODE_INVALID,
        [...path, 'redirectCode'],
        `${code} is not a redirect status; use a 3xx code such as 301 or 302`,
      );
    } else if (!SENDABLE_REDIRECTS.includes(code)) {
      ctx.warn(
        NETWORKING_CODES.VS_REDIRECT_CODE_UNSUPPORTED,
        [...path, 'redirectCode'],
        `the proxy cannot send ${code} and answers 301 instead; use 301, 302, 303, 307 or 308`,
      );
    }
  }
  const scheme = stringAt(redirect, 'scheme');
  if (scheme !== undefined && scheme !== '' && scheme !== 'http' && scheme !== 'https') {
    ctx.error(
      NETWORKING_CODES.VS_REDIRECT_SCHEME_INVALID,
      [...path, 'scheme'],
      `"${scheme}" is not a redirect scheme; use "http" or "https" (lower case)`,
    );
  }
  checkPortAt(ctx, redirect, 'port', path, { allowZero: true });
}

function base64Length(text: string): number {
  const clean = text.replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
}

export function checkDirectResponse(ctx: RuleContext, response: unknown, path: FieldPath): void {
  if (!isRecord(response)) return;
  const status = numberAt(response, 'status');
  if (status !== undefined && !isValidHttpStatus(status)) {
    ctx.error(
      NETWORKING_CODES.VS_STATUS_INVALID,
      [...path, 'status'],
      `${status} is not a status a direct response can have; use a code from 200 to 599`,
    );
  }
  const body = recordAt(response, 'body');
  if (!body) return;
  const text = stringAt(body, 'string');
  const bytes = stringAt(body, 'bytes');
  const key = text !== undefined ? 'string' : 'bytes';
  const size =
    text !== undefined
      ? new TextEncoder().encode(text).length
      : bytes !== undefined
        ? base64Length(bytes)
        : 0;
  if (size > MIB) {
    ctx.error(
      NETWORKING_CODES.VS_BODY_TOO_LARGE,
      [...path, 'body', key],
      `the body is ${Math.ceil(size / KIB)} KiB; direct responses must be under 1 MiB (serve large content from a service)`,
    );
  } else if (size > 100 * KIB) {
    ctx.warn(
      NETWORKING_CODES.VS_BODY_LARGE,
      [...path, 'body', key],
      `the body is ${Math.ceil(size / KIB)} KiB; bodies this large are sent to every proxy with the configuration, so keep them small or serve them from a service`,
    );
  }
}
