// Walks a spec against its known-fields tree: unknown fields are errors (as with kubectl's strict field
// validation), deprecated ones warnings, each with a hint at what was meant.
import { COMMON_CODES } from '../findings/codes.ts';
import type { FieldPath, PathSegment } from '../source/field-path.ts';
import type { RuleContext } from '../validate/rule-context.ts';
import { closestName } from '../rules/common/values.ts';
import type { FieldTree } from './field-tree.ts';
import { guidanceFor } from './field-guidance.ts';

export function checkFields(ctx: RuleContext, value: unknown, tree: FieldTree, path: FieldPath): void {
  if (tree.open || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkFields(ctx, item, tree, [...path, index]));
    return;
  }
  const parent = lastName(path);
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childPath = [...path, key];
    const known = tree.f?.[key];
    const guidance = guidanceFor(parent, key);
    if (known) {
      if (guidance?.kind === 'deprecated')
        ctx.warn(COMMON_CODES.DEPRECATED_FIELD, childPath, guidance.message);
      else if (known.deprecated) ctx.warn(COMMON_CODES.DEPRECATED_FIELD, childPath, `"${key}" is deprecated`);
      checkFields(ctx, child, known, childPath);
    } else if (tree.m && !tree.f) {
      checkFields(ctx, child, tree.m, childPath);
    } else if (tree.f) {
      if (guidance) {
        const code = guidance.message.includes('belongs inside')
          ? COMMON_CODES.MISPLACED_FIELD
          : COMMON_CODES.UNKNOWN_FIELD;
        ctx.error(code, childPath, guidance.message);
        continue;
      }
      const names = Object.keys(tree.f);
      const suggestion = closestName(key, names);
      const hint = suggestion
        ? `; did you mean "${suggestion}"?`
        : `; known fields here: ${names.sort().join(', ')}`;
      ctx.error(COMMON_CODES.UNKNOWN_FIELD, childPath, `unknown field "${key}"${hint}`);
    }
  }
}

function lastName(path: FieldPath): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const segment: PathSegment | undefined = path[i];
    if (typeof segment === 'string') return segment;
  }
  return '';
}
