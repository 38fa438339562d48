// Small typed field checks for free-form maps that no CRD schema covers (meshConfig, IstioOperator, core
// Kubernetes kinds): each reports at the field and says whether the value can be used further.
import { COMMON_CODES } from '../findings/codes.ts';
import type { Level } from '../findings/finding.ts';
import type { FieldPath } from '../source/field-path.ts';
import type { RuleContext } from '../validate/rule-context.ts';
import { checkDuration } from '../rules/common/duration.ts';
import { closestName } from '../rules/common/values.ts';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

export function checkMap(
  ctx: RuleContext,
  value: unknown,
  path: FieldPath,
): value is Record<string, unknown> {
  if (isRecord(value)) return true;
  ctx.error(COMMON_CODES.SCHEMA_TYPE, path, `must be a map, not ${describeValue(value)}`);
  return false;
}

export function checkList(ctx: RuleContext, value: unknown, path: FieldPath): value is unknown[] {
  if (Array.isArray(value)) return true;
  ctx.error(COMMON_CODES.SCHEMA_TYPE, path, `must be a list, not ${describeValue(value)}`);
  return false;
}

export function checkString(ctx: RuleContext, value: unknown, path: FieldPath): value is string {
  if (typeof value === 'string') return true;
  const hint =
    typeof value === 'number' || typeof value === 'boolean' ? ` (quote it: "${String(value)}")` : '';
  ctx.error(COMMON_CODES.SCHEMA_TYPE, path, `must be a string, not ${describeValue(value)}${hint}`);
  return false;
}

export function checkBoolean(ctx: RuleContext, value: unknown, path: FieldPath): value is boolean {
  if (typeof value === 'boolean') return true;
  const hint =
    value === 'true' || value === 'false' ? ` (write ${value} without quotes)` : ' (write true or false)';
  ctx.error(COMMON_CODES.SCHEMA_TYPE, path, `must be a boolean, not ${describeValue(value)}${hint}`);
  return false;
}

export function checkInteger(ctx: RuleContext, value: unknown, path: FieldPath): value is number {
  if (typeof value === 'number' && Number.isInteger(value)) return true;
  ctx.error(COMMON_CODES.SCHEMA_TYPE, path, `must be a whole number, not ${describeValue(value)}`);
  return false;
}

/** Checks a list of strings; returns the strings found (non-strings are reported). */
export function checkStringList(ctx: RuleContext, value: unknown, path: FieldPath): string[] {
  if (!checkList(ctx, value, path)) return [];
  const strings: string[] = [];
  value.forEach((item, index) => {
    if (checkString(ctx, item, [...path, index])) strings.push(item);
  });
  return strings;
}

export function checkEnum(
  ctx: RuleContext,
  value: unknown,
  path: FieldPath,
  allowed: readonly string[],
): value is string {
  if (typeof value === 'string' && allowed.includes(value)) return true;
  const suggestion = typeof value === 'string' ? closestName(value, allowed) : undefined;
  ctx.error(
    COMMON_CODES.SCHEMA_ENUM,
    path,
    `${describeValue(value)} is not one of: ${allowed.join(', ')}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
  );
  return false;
}

/** Checks a duration field; `minMs: 0` accepts `0s` (used for "disabled"). */
export function checkDurationField(
  ctx: RuleContext,
  value: unknown,
  path: FieldPath,
  options: { minMs?: number } = {},
): void {
  if (typeof value === 'number') {
    ctx.error(
      COMMON_CODES.DURATION_INVALID,
      path,
      `${value} has no unit; add a unit: "${value}s" or "${value}ms"`,
    );
    return;
  }
  const problem = checkDuration(value, options);
  if (problem) ctx.error(COMMON_CODES.DURATION_INVALID, path, problem.message);
}

export interface UnknownKeyOptions {
  /** Field-specific answers for names people write by mistake, keyed by the wrong name. */
  readonly guidance?: Readonly<Record<string, string>>;
  readonly level?: Level;
  /** Only report when a close known name exists (for lists that may be incomplete). */
  readonly onlyWithSuggestion?: boolean;
  /** What holds these fields, for the message ("meshConfig", "k8s" …). */
  readonly owner?: string;
}

/** Reports keys of `object` that are not in `known`, with a "did you mean" hint. */
export function checkUnknownKeys(
  ctx: RuleContext,
  object: Readonly<Record<string, unknown>>,
  path: FieldPath,
  known: readonly string[],
  options: UnknownKeyOptions = {},
): void {
  const owner = options.owner ? `${options.owner} has no field` : 'unknown field';
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const level = options.level ?? 'Error';
    const guidance = options.guidance?.[key];
    if (guidance) {
      ctx.report(level, COMMON_CODES.UNKNOWN_FIELD, [...path, key], guidance);
      continue;
    }
    const sameLetters = known.find((name) => name.toLowerCase() === key.toLowerCase());
    if (sameLetters) {
      ctx.report(
        level,
        COMMON_CODES.UNKNOWN_FIELD,
        [...path, key],
        `${owner} "${key}"; field names are case-sensitive: write "${sameLetters}"`,
      );
      continue;
    }
    const suggestion = closestName(key, known);
    if (!suggestion && options.onlyWithSuggestion) continue;
    const hint = suggestion
      ? `; did you mean "${suggestion}"?`
      : `; known fields: ${[...known].sort().join(', ')}`;
    ctx.report(level, COMMON_CODES.UNKNOWN_FIELD, [...path, key], `${owner} "${key}"${hint}`);
  }
}
