// The `metrics` section of a Telemetry: providers, reporting interval and per-metric overrides.
import { COMMON_CODES, OBSERVABILITY_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkDuration } from '../common/duration.ts';
import { celExpressionProblem } from './cel-expression.ts';

// Prometheus naming: what a scrape accepts for metric and label names.
const METRIC_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*$/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkCustomMetric(ctx: RuleContext, match: unknown, path: FieldPath): void {
  if (!isRecord(match) || typeof match.customMetric !== 'string') return;
  // An empty name is reported by the CRD schema (minLength 1).
  const name = match.customMetric;
  if (name !== '' && !METRIC_NAME.test(name)) {
    ctx.warn(
      OBSERVABILITY_CODES.TELEMETRY_METRIC_NAME_INVALID,
      [...path, 'customMetric'],
      `"${name}" is not a valid Prometheus metric name; use letters, digits and "_" (e.g. "${name.replace(/[^A-Za-z0-9_:]/g, '_')}")`,
    );
  }
}

function checkTagOverride(ctx: RuleContext, name: string, override: unknown, path: FieldPath): void {
  if (name.trim() === '') {
    ctx.error(
      OBSERVABILITY_CODES.TELEMETRY_TAG_OVERRIDE_INVALID,
      path,
      'a tag override needs a non-empty tag name',
    );
  } else if (!LABEL_NAME.test(name)) {
    ctx.warn(
      OBSERVABILITY_CODES.TELEMETRY_TAG_OVERRIDE_INVALID,
      path,
      `"${name}" is not a valid Prometheus label name; use letters, digits and "_" (e.g. "${name.replace(/[^A-Za-z0-9_]/g, '_')}")`,
    );
  }
  if (!isRecord(override)) {
    ctx.error(
      OBSERVABILITY_CODES.TELEMETRY_TAG_OVERRIDE_INVALID,
      path,
      `the override of "${name}" is empty; write "{operation: UPSERT, value: <CEL expression>}" or "{operation: REMOVE}"`,
    );
    return;
  }
  // UPSERT is the default operation.
  const operation = typeof override.operation === 'string' ? override.operation : 'UPSERT';
  const value = override.value;
  const hasValue = typeof value === 'string' && value !== '';
  if (operation === 'UPSERT' && !hasValue) {
    ctx.error(
      OBSERVABILITY_CODES.TELEMETRY_TAG_OVERRIDE_INVALID,
      value === undefined ? path : [...path, 'value'],
      `an UPSERT of "${name}" needs a value: a CEL expression such as "request.host" (string literals in quotes: "'v1'")`,
    );
  } else if (operation === 'REMOVE' && hasValue) {
    ctx.error(
      OBSERVABILITY_CODES.TELEMETRY_TAG_OVERRIDE_INVALID,
      [...path, 'value'],
      `REMOVE drops the tag "${name}" and takes no value; remove "value" or use "operation: UPSERT"`,
    );
  }
  if (operation === 'UPSERT' && hasValue) {
    const problem = celExpressionProblem(value);
    if (problem) ctx.error(OBSERVABILITY_CODES.TELEMETRY_EXPRESSION_INVALID, [...path, 'value'], problem);
  }
}

function checkOverride(ctx: RuleContext, override: unknown, path: FieldPath): void {
  if (!isRecord(override)) {
    ctx.error(
      OBSERVABILITY_CODES.TELEMETRY_TAG_OVERRIDE_INVALID,
      path,
      'an override must not be null; give it a match and tagOverrides (or disabled: true)',
    );
    return;
  }
  checkCustomMetric(ctx, override.match, [...path, 'match']);
  if (isRecord(override.tagOverrides)) {
    for (const [name, tag] of Object.entries(override.tagOverrides)) {
      checkTagOverride(ctx, name, tag, [...path, 'tagOverrides', name]);
    }
  }
}

export function checkMetrics(ctx: RuleContext, metrics: unknown): void {
  if (!Array.isArray(metrics)) return;
  metrics.forEach((entry: unknown, index) => {
    if (!isRecord(entry)) return;
    const path = ['spec', 'metrics', index];
    if (entry.reportingInterval !== undefined && entry.reportingInterval !== null) {
      const problem = checkDuration(entry.reportingInterval);
      if (problem) ctx.error(COMMON_CODES.DURATION_INVALID, [...path, 'reportingInterval'], problem.message);
    }
    if (Array.isArray(entry.overrides)) {
      entry.overrides.forEach((override: unknown, overrideIndex) =>
        checkOverride(ctx, override, [...path, 'overrides', overrideIndex]),
      );
    }
  });
}
