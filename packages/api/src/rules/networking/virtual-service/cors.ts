// CORS policy of an HTTP rule: allowed origins, methods and headers, and how long preflights are cached.
import { COMMON_CODES, NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { checkDurationAt, isRecord, listAt, stringAt } from '../value-checks.ts';
import { headerNameProblem } from './headers.ts';
import { reportRegex } from './match.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE'];

export function checkCors(ctx: RuleContext, cors: unknown, path: FieldPath): void {
  if (!isRecord(cors)) return;
  listAt(cors, 'allowOrigins').forEach((origin, index) => {
    if (!isRecord(origin)) return;
    const at = [...path, 'allowOrigins', index];
    const value = origin.exact ?? origin.prefix ?? origin.regex;
    if (value === undefined || value === '') {
      ctx.error(
        NETWORKING_CODES.VS_CORS_ORIGIN_INVALID,
        at,
        'an allowed origin needs a non-empty exact, prefix or regex, e.g. exact: https://example.com',
      );
    } else if (origin.regex !== undefined) {
      reportRegex(ctx, origin.regex, [...at, 'regex']);
    }
  });
  listAt(cors, 'allowMethods').forEach((method, index) => {
    if (typeof method !== 'string' || METHODS.includes(method)) return;
    const hint = METHODS.includes(method.toUpperCase())
      ? `write it in upper case: "${method.toUpperCase()}"`
      : `use ${METHODS.join(', ')}`;
    ctx.error(
      NETWORKING_CODES.VS_CORS_METHOD_INVALID,
      [...path, 'allowMethods', index],
      `"${method}" is not an HTTP method; ${hint}`,
    );
  });
  for (const key of ['allowHeaders', 'exposeHeaders'] as const) {
    listAt(cors, key).forEach((header, index) => {
      if (typeof header !== 'string' || header === '*') return;
      const problem = headerNameProblem(header);
      if (problem) ctx.error(COMMON_CODES.HEADER_NAME_INVALID, [...path, key, index], problem);
    });
  }
  const maxAgeMs = checkDurationAt(ctx, cors, 'maxAge', path);
  if (maxAgeMs !== undefined && maxAgeMs % 1000 !== 0) {
    ctx.error(
      NETWORKING_CODES.VS_CORS_MAX_AGE_PRECISION,
      [...path, 'maxAge'],
      `"${stringAt(cors, 'maxAge') ?? ''}" is not a whole number of seconds; browsers cache preflights in seconds, so write e.g. "${Math.max(1, Math.round(maxAgeMs / 1000))}s"`,
    );
  }
}
