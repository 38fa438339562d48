// `exportTo` lists: which namespaces may see a resource (`.` own namespace, `*` all, `~` none, or names).
import { COMMON_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isDns1123Label } from '../../common/values.ts';

export interface ExportToOptions {
  /** `~` (visible to no namespace) exists only for ServiceEntry. */
  readonly allowNone: boolean;
}

export function checkExportTo(
  ctx: RuleContext,
  exportTo: unknown,
  path: FieldPath,
  options: ExportToOptions,
): void {
  if (!Array.isArray(exportTo) || exportTo.length === 0) return;
  const seen = new Map<string, string>();
  exportTo.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string') return; // the schema reports non-strings
    const at = [...path, index];
    const problem = entryProblem(entry, options);
    if (problem) {
      ctx.error(COMMON_CODES.EXPORT_TO_INVALID, at, problem);
      return;
    }
    // `.` and the resource's own namespace name mean the same thing.
    const key = entry === '.' ? ctx.namespace : entry;
    const first = seen.get(key);
    if (first !== undefined) {
      const same =
        first === entry
          ? `"${entry}" is listed twice`
          : `"${entry}" and "${first}" both mean namespace ${ctx.namespace}`;
      ctx.error(COMMON_CODES.EXPORT_TO_INVALID, at, `${same}; keep one`);
      return;
    }
    seen.set(key, entry);
  });
  if (exportTo.length < 2) return;
  const star = exportTo.indexOf('*');
  if (star >= 0) {
    ctx.error(
      COMMON_CODES.EXPORT_TO_INVALID,
      [...path, star],
      '"*" already exports to every namespace; remove the other entries or remove "*"',
    );
  }
  const none = options.allowNone ? exportTo.indexOf('~') : -1;
  if (none >= 0) {
    ctx.error(
      COMMON_CODES.EXPORT_TO_INVALID,
      [...path, none],
      '"~" hides the resource from every namespace and cannot be combined with other entries',
    );
  }
}

function entryProblem(entry: string, options: ExportToOptions): string | undefined {
  if (entry === '.' || entry === '*') return undefined;
  if (entry === '~') {
    return options.allowNone
      ? undefined
      : '"~" (visible to no namespace) is only allowed on ServiceEntry; use "." for this namespace only';
  }
  if (isDns1123Label(entry)) return undefined;
  return `"${entry}" is not a namespace name; use ".", "*"${options.allowNone ? ', "~"' : ''} or a lower-case DNS label such as "istio-system"`;
}
