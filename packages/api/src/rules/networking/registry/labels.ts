// Label maps carried by workloads (not selectors): Kubernetes label syntax for keys and values.
import { COMMON_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { labelKeyProblem, labelValueProblem } from '../../common/selector.ts';
import { isStruct } from './read.ts';

export function checkLabelMap(ctx: RuleContext, labels: unknown, path: FieldPath): void {
  if (!isStruct(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    const problem = keyProblem(key) ?? valueProblem(value);
    if (problem) ctx.error(COMMON_CODES.LABEL_INVALID, [...path, key], problem);
  }
}

// The shared checks word "*" as a selector mistake; on a workload it is simply not a label character.
function keyProblem(key: string): string | undefined {
  if (key.includes('*')) return `label key "${key}" is not valid: "*" is not allowed in label keys`;
  return labelKeyProblem(key);
}

function valueProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && value.includes('*'))
    return `label value "${value}" is not valid: use letters, digits, "-", "_" and "." (at most 63)`;
  return labelValueProblem(value);
}
