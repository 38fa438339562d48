// Reading decoded YAML defensively and reporting the value formats the networking kinds share
// (durations, ports, percentages, non-negative limits) at the right field.
import { COMMON_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkDuration, parseDurationMs } from '../common/duration.ts';

export type Obj = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function recordAt(obj: Obj, key: string): Obj | undefined {
  const value = obj[key];
  return isRecord(value) ? value : undefined;
}

/** The list at `key`, or an empty list when it is absent (or not a list; the schema layer said so). */
export function listAt(obj: Obj, key: string): readonly unknown[] {
  const value = obj[key];
  return Array.isArray(value) ? value : [];
}

export function stringAt(obj: Obj, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberAt(obj: Obj, key: string): number | undefined {
  const value = obj[key];
  return typeof value === 'number' ? value : undefined;
}

/** Present in the YAML with a value (an empty list counts as absent, as it does for Istio). */
export function isPresent(obj: Obj, key: string): boolean {
  const value = obj[key];
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

/** A field counts as set when it holds something other than null, an empty string, list or map. */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.keys(value).length > 0;
  return true;
}

/** Checks `obj[key]` as a duration when present; returns its milliseconds when valid. */
export function checkDurationAt(
  ctx: RuleContext,
  obj: Obj,
  key: string,
  path: FieldPath,
  options: { minMs?: number } = {},
): number | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  const problem = checkDuration(value, options);
  if (problem) {
    ctx.error(COMMON_CODES.DURATION_INVALID, [...path, key], problem.message);
    return undefined;
  }
  return typeof value === 'string' ? parseDurationMs(value) : undefined;
}

/**
 * Checks a port number. Negative numbers are left to the schema layer (which reports them for these
 * unsigned fields); `allowZero` is for fields where 0 means "not set".
 */
export function checkPortAt(
  ctx: RuleContext,
  obj: Obj,
  key: string,
  path: FieldPath,
  options: { allowZero?: boolean } = {},
): void {
  const value = obj[key];
  if (typeof value !== 'number' || value < 0) return;
  if (value === 0 && options.allowZero) return;
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    ctx.error(
      COMMON_CODES.PORT_INVALID,
      [...path, key],
      `${value} is not a port; use a number from 1 to 65535`,
    );
  }
}

/** Checks a percentage (0–100) when present. */
export function checkPercentAt(ctx: RuleContext, obj: Obj, key: string, path: FieldPath): void {
  const value = obj[key];
  // Non-numbers are type errors, already reported by the schema layer.
  if (typeof value !== 'number') return;
  if (!(value >= 0 && value <= 100)) {
    ctx.error(
      COMMON_CODES.PERCENT_INVALID,
      [...path, key],
      `${value} is not a percentage; use a number from 0 to 100`,
    );
  }
}

/** Stable JSON with sorted keys, to compare decoded values structurally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
