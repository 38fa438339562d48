// Workload selectors (`selector.matchLabels` / `workloadSelector.labels`) and Kubernetes label syntax.
import { COMMON_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function labelKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'label key must not be empty';
  if (key.includes('*')) return `label key "${key}" must not contain "*"; selectors match exact labels`;
  const parts = key.split('/');
  if (parts.length > 2) return `label key "${key}" has more than one "/"`;
  const name = parts[parts.length - 1] ?? '';
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix.length > 253 || !LABEL_PREFIX.test(prefix))
      return `label key prefix "${prefix}" is not a DNS subdomain`;
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) return `label key "${key}" is not a valid label name`;
  return undefined;
}

export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'label value must be a string (quote numbers and booleans)';
  if (value.includes('*')) return `label value "${value}" must not contain "*"; selectors match exact labels`;
  if (value.length > 63 || !LABEL_VALUE.test(value))
    return `label value "${value}" is not a valid label value`;
  return undefined;
}

/** Checks a map of labels; `emptyWarning` reports an empty map (a selector that selects everything). */
export function checkLabels(
  ctx: RuleContext,
  labels: unknown,
  path: FieldPath,
  options: { emptyWarning?: string } = {},
): void {
  if (labels === undefined || labels === null) return;
  if (typeof labels !== 'object' || Array.isArray(labels)) {
    ctx.error(COMMON_CODES.SELECTOR_INVALID, path, 'labels must be a map of key: value');
    return;
  }
  const entries = Object.entries(labels);
  if (entries.length === 0 && options.emptyWarning) {
    ctx.warn(COMMON_CODES.SELECTOR_EMPTY, path, options.emptyWarning);
  }
  for (const [key, value] of entries) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) ctx.error(COMMON_CODES.SELECTOR_INVALID, [...path, key], problem);
  }
}
