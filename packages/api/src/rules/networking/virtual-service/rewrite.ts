// URI and authority rewriting of an HTTP rule before it is forwarded.
import { COMMON_CODES, NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isRecord, recordAt, stringAt } from '../value-checks.ts';
import { reportRegex } from './match.ts';

export function checkRewrite(ctx: RuleContext, rewrite: unknown, path: FieldPath): void {
  if (!isRecord(rewrite)) return;
  const uri = stringAt(rewrite, 'uri');
  const regexRewrite = recordAt(rewrite, 'uriRegexRewrite');
  const authority = stringAt(rewrite, 'authority');
  if (uri && regexRewrite) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'uriRegexRewrite'],
      'use either uri or uriRegexRewrite to rewrite the path, not both',
    );
  }
  if (!uri && !regexRewrite && !authority) {
    const hint = uri === '' ? ' (to strip a matched prefix, rewrite it to "/")' : '';
    ctx.error(
      NETWORKING_CODES.VS_REWRITE_INVALID,
      path,
      `a rewrite must change something: set uri, uriRegexRewrite or authority${hint}`,
    );
  }
  if (regexRewrite) {
    const match = stringAt(regexRewrite, 'match');
    const replacement = stringAt(regexRewrite, 'rewrite');
    if (!match || replacement === undefined || replacement === '') {
      ctx.error(
        NETWORKING_CODES.VS_REWRITE_INVALID,
        [...path, 'uriRegexRewrite'],
        'uriRegexRewrite needs both match (an RE2 pattern) and rewrite (the replacement, which may use \\1 for groups)',
      );
    } else {
      reportRegex(ctx, match, [...path, 'uriRegexRewrite', 'match']);
    }
  }
}
