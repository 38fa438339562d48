// Semantic rules for Telemetry: policy target, tracing, metrics and access logging.
import { OBSERVABILITY_CODES } from '../../findings/codes.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkPolicyTarget } from '../common/target-ref.ts';
import { celExpressionProblem } from './cel-expression.ts';
import { checkMetrics } from './telemetry-metrics.ts';
import { checkTracing } from './telemetry-tracing.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkAccessLogging(ctx: RuleContext, accessLogging: unknown): void {
  if (!Array.isArray(accessLogging)) return;
  accessLogging.forEach((entry: unknown, index) => {
    if (!isRecord(entry)) return;
    const path = ['spec', 'accessLogging', index];
    if (!isRecord(entry.filter)) return;
    const expression = entry.filter.expression;
    const problem =
      typeof expression === 'string'
        ? celExpressionProblem(expression)
        : 'the filter has no expression; write one such as "response.code >= 400", or remove the filter';
    if (problem) {
      ctx.error(
        OBSERVABILITY_CODES.TELEMETRY_EXPRESSION_INVALID,
        typeof expression === 'string' ? [...path, 'filter', 'expression'] : [...path, 'filter'],
        problem,
      );
    }
  });
}

export const validateTelemetry: KindValidator = (ctx, spec) => {
  checkPolicyTarget(ctx, spec);
  checkTracing(ctx, spec.tracing);
  checkMetrics(ctx, spec.metrics);
  checkAccessLogging(ctx, spec.accessLogging);
};
