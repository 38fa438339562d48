// `exportTo` lists (VirtualService, DestinationRule, ServiceEntry, Sidecar …): the namespaces a resource is visible to.
import { COMMON_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { isDns1123Label } from './values.ts';

export interface ExportToOptions {
  /** `~` (visible to no other namespace) is only meaningful for ServiceEntry. */
  readonly allowTilde?: boolean;
}

/**
 * Checks an `exportTo` list and returns the namespaces it names, with `.` resolved to the resource's own
 * namespace (`*` and `~` kept as they are), so callers can add kind-specific rules.
 */
export function checkExportTo(
  ctx: RuleContext,
  exportTo: unknown,
  path: FieldPath,
  options: ExportToOptions = {},
): ReadonlySet<string> {
  const seen = new Map<string, string>();
  if (!Array.isArray(exportTo)) return new Set();
  let publicIndex: number | undefined;
  let noneIndex: number | undefined;
  exportTo.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string') return;
    const at = [...path, index];
    const key = entry === '.' ? ctx.namespace : entry;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const message =
        earlier === entry
          ? `"${entry}" is listed twice; remove the duplicate`
          : `"." already means this resource's own namespace "${ctx.namespace}"; list it only once`;
      ctx.error(COMMON_CODES.EXPORT_TO_INVALID, at, message);
      return;
    }
    if (entry === '~') {
      if (!options.allowTilde) {
        ctx.error(
          COMMON_CODES.EXPORT_TO_INVALID,
          at,
          '"~" (export to no namespace) is only allowed on ServiceEntry; use "." to keep this resource in its own namespace',
        );
        return;
      }
      noneIndex = index;
    } else if (entry === '*') {
      publicIndex = index;
    } else if (entry !== '.' && !isDns1123Label(entry)) {
      ctx.error(
        COMMON_CODES.EXPORT_TO_INVALID,
        at,
        `"${entry}" is not a namespace; use ".", "*" or a namespace name (lower-case letters, digits and "-")`,
      );
      return;
    }
    seen.set(key, entry);
  });
  if (publicIndex !== undefined && seen.size > 1) {
    ctx.error(
      COMMON_CODES.EXPORT_TO_INVALID,
      [...path, publicIndex],
      '"*" already exports to every namespace; remove the other entries or remove "*"',
    );
  }
  if (noneIndex !== undefined && seen.size > 1) {
    ctx.error(
      COMMON_CODES.EXPORT_TO_INVALID,
      [...path, noneIndex],
      '"~" hides the resource from every namespace and cannot be combined with other entries',
    );
  }
  return new Set(seen.keys());
}
