// Checks for apps/v1 Deployment as a workload description: selector, pod labels, injection, containers.
import { COMMON_CODES, INSTALL_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkInteger, checkList, checkMap, isRecord } from '../../mesh/field-checks.ts';
import { checkLabels } from '../common/selector.ts';
import { checkPodTemplate, INJECT_KEY } from './pod-template.ts';

export const validateDeployment: KindValidator = (ctx, spec) => {
  const metadata = isRecord(ctx.object.metadata) ? ctx.object.metadata : {};
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  if (annotations[INJECT_KEY] !== undefined) {
    ctx.warn(
      COMMON_CODES.ANNOTATION_MISPLACED,
      ['metadata', 'annotations', INJECT_KEY],
      `${INJECT_KEY} is read from the pod, not the Deployment; move it to spec.template.metadata.labels`,
    );
  }
  if (
    spec.replicas !== undefined &&
    checkInteger(ctx, spec.replicas, ['spec', 'replicas']) &&
    spec.replicas < 0
  )
    ctx.error(COMMON_CODES.SCHEMA_TYPE, ['spec', 'replicas'], 'replicas cannot be negative');
  const labels = checkPodTemplate(ctx, spec.template, ['spec', 'template']);
  checkSelector(ctx, spec.selector, labels, ['spec', 'selector']);
};

function checkSelector(
  ctx: RuleContext,
  selector: unknown,
  labels: Readonly<Record<string, unknown>>,
  path: FieldPath,
): void {
  if (selector === undefined) {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      path,
      'apps/v1 Deployments need spec.selector.matchLabels matching the pod labels',
    );
    return;
  }
  if (!checkMap(ctx, selector, path)) return;
  const matchLabels = selector.matchLabels;
  if (matchLabels === undefined && selector.matchExpressions === undefined) {
    ctx.error(
      COMMON_CODES.SELECTOR_EMPTY,
      path,
      'the selector is empty; set matchLabels to the pod labels, e.g. app: …',
    );
    return;
  }
  if (matchLabels !== undefined) {
    checkLabels(ctx, matchLabels, [...path, 'matchLabels']);
    if (isRecord(matchLabels)) {
      for (const [key, value] of Object.entries(matchLabels)) {
        if (labels[key] === value) continue;
        const wanted = show(value);
        ctx.error(
          INSTALL_CODES.DEPLOYMENT_SELECTOR_MISMATCH,
          [...path, 'matchLabels', key],
          labels[key] === undefined
            ? `the pod template has no label "${key}", so this selector matches none of its pods; add ${key}: ${wanted} to spec.template.metadata.labels`
            : `the pod template sets ${key}: ${show(labels[key])}, so this selector (${key}: ${wanted}) matches none of its pods`,
        );
      }
    }
  }
  const expressions = selector.matchExpressions;
  if (expressions !== undefined && checkList(ctx, expressions, [...path, 'matchExpressions'])) {
    expressions.forEach((expression, index) => {
      const problem = expressionProblem(expression, labels);
      if (problem)
        ctx.error(INSTALL_CODES.DEPLOYMENT_SELECTOR_MISMATCH, [...path, 'matchExpressions', index], problem);
    });
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function expressionProblem(
  expression: unknown,
  labels: Readonly<Record<string, unknown>>,
): string | undefined {
  if (!isRecord(expression) || typeof expression.key !== 'string')
    return 'a selector expression needs key, operator and (for In/NotIn) values';
  const { key, operator } = expression;
  const values = Array.isArray(expression.values) ? expression.values : [];
  const present = labels[key] !== undefined;
  const value = labels[key];
  switch (operator) {
    case 'In':
      return values.includes(value)
        ? undefined
        : `the pod label "${key}" is not one of ${values.map(show).join(', ')}, so the selector matches none of the pods`;
    case 'NotIn':
      return !values.includes(value)
        ? undefined
        : `the pod label ${key}: ${show(value)} is excluded by this expression, so the selector matches none of the pods`;
    case 'Exists':
      return present
        ? undefined
        : `the pod template has no label "${key}", so the selector matches none of its pods`;
    case 'DoesNotExist':
      return present ? `the pod template has the label "${key}", which this expression excludes` : undefined;
    default:
      return `selector operator ${JSON.stringify(operator)} is not one of In, NotIn, Exists, DoesNotExist`;
  }
}
