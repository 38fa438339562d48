// Turns CRD schema errors (types, enums, one-of groups) into findings at the offending field.
import { COMMON_CODES } from '../findings/codes.ts';
import type { PathSegment } from '../source/field-path.ts';
import type { RuleContext } from '../validate/rule-context.ts';
import { closestName } from '../rules/common/values.ts';
import { schemaErrors, type SchemaError } from './schema-models.ts';

/** Converts a JSON pointer into path segments, using the data to tell array indexes from keys. */
export function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  const path: PathSegment[] = [];
  let current: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current) && /^\d+$/.test(key)) {
      path.push(Number(key));
      current = current[Number(key)];
    } else {
      path.push(key);
      current =
        current !== null && typeof current === 'object'
          ? (current as Record<string, unknown>)[key]
          : undefined;
    }
  }
  return path;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

/** Reports schema errors; returns true when any error makes the structure untrustworthy for semantic rules. */
export function checkSchema(
  ctx: RuleContext,
  key: string,
  object: Readonly<Record<string, unknown>>,
): boolean {
  const errors = schemaErrors(key, object);
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  let structural = false;
  const seen = new Set<string>();
  for (const error of errors) {
    if (oneOfPaths.has(error.instancePath) && error.keyword !== 'oneOf') continue; // branch noise of a one-of
    if (error.keyword === 'not' || error.keyword === 'anyOf') continue;
    const dedupe = `${error.instancePath}|${error.keyword}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    const path = pointerToPath(error.instancePath, object);
    const value = valueAt(object, path);
    reportSchemaError(ctx, error, path, value);
    if (error.keyword === 'type') structural = true;
  }
  return structural;
}

/** Istio's duration fields are named like these; a bare number there is a duration missing its unit. */
const DURATION_FIELD = /(timeout|delay|interval|time|duration|ttl|maxAge)$/i;

function isDurationField(path: readonly PathSegment[]): boolean {
  const last = path[path.length - 1];
  return typeof last === 'string' && DURATION_FIELD.test(last);
}

function reportSchemaError(ctx: RuleContext, error: SchemaError, path: PathSegment[], value: unknown): void {
  switch (error.keyword) {
    case 'type': {
      const expected = String(error.params.type);
      const noun =
        expected === 'object'
          ? 'a map'
          : expected === 'array'
            ? 'a list'
            : `a${/^[aeiou]/.test(expected) ? 'n' : ''} ${expected}`;
      const quoteHint =
        expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')
          ? typeof value === 'number' && isDurationField(path)
            ? ` (a duration needs a unit: "${value}s" or "${value}ms")`
            : ` (quote it: "${String(value)}")`
          : '';
      ctx.error(COMMON_CODES.SCHEMA_TYPE, path, `must be ${noun}, not ${describe(value)}${quoteHint}`);
      return;
    }
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[] | undefined)?.map(String) ?? [];
      const suggestion = typeof value === 'string' ? closestName(value, allowed) : undefined;
      const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
      ctx.error(
        COMMON_CODES.SCHEMA_ENUM,
        path,
        `${describe(value)} is not one of: ${allowed.join(', ')}.${hint}`,
      );
      return;
    }
    case 'oneOf': {
      const present = value !== null && typeof value === 'object' ? Object.keys(value) : [];
      ctx.error(
        COMMON_CODES.SCHEMA_ONE_OF,
        path,
        `sets alternatives that exclude each other (fields present: ${present.join(', ')}); keep only one`,
      );
      return;
    }
    case 'required': {
      ctx.error(COMMON_CODES.REQUIRED_FIELD, [...path, String(error.params.missingProperty)], `is required`);
      return;
    }
    default:
      ctx.error(COMMON_CODES.SCHEMA_INVALID, path, error.message ?? `violates the schema (${error.keyword})`);
  }
}
