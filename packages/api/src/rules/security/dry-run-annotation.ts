// The `istio.io/dry-run` annotation: evaluate an ALLOW/DENY AuthorizationPolicy without enforcing it.
import { COMMON_CODES } from '../../findings/codes.ts';
import type { RuleContext } from '../../validate/rule-context.ts';

export const DRY_RUN_ANNOTATION = 'istio.io/dry-run';

const PATH = ['metadata', 'annotations', DRY_RUN_ANNOTATION];

// The spellings Go's strconv.ParseBool accepts, which is what Istio uses to read the value.
const BOOLEAN_SPELLINGS = new Set([
  '1',
  't',
  'T',
  'TRUE',
  'true',
  'True',
  '0',
  'f',
  'F',
  'FALSE',
  'false',
  'False',
]);

function dryRunValue(ctx: RuleContext): { present: boolean; value: unknown } {
  const metadata = ctx.object.metadata;
  if (metadata === null || typeof metadata !== 'object') return { present: false, value: undefined };
  const annotations = (metadata as Record<string, unknown>).annotations;
  if (annotations === null || typeof annotations !== 'object') return { present: false, value: undefined };
  const record = annotations as Record<string, unknown>;
  return Object.hasOwn(record, DRY_RUN_ANNOTATION)
    ? { present: true, value: record[DRY_RUN_ANNOTATION] }
    : { present: false, value: undefined };
}

/** For AuthorizationPolicy: the annotation must be a boolean and the action ALLOW or DENY. */
export function checkDryRunAnnotation(ctx: RuleContext, action: string): void {
  const { present, value } = dryRunValue(ctx);
  if (!present) return;
  if (action !== 'ALLOW' && action !== 'DENY') {
    ctx.error(
      COMMON_CODES.ANNOTATION_INVALID,
      PATH,
      `dry-run is only supported for ALLOW and DENY policies, not ${action}; remove the annotation`,
    );
    return;
  }
  if (typeof value !== 'string' || !BOOLEAN_SPELLINGS.has(value)) {
    ctx.error(
      COMMON_CODES.ANNOTATION_INVALID,
      PATH,
      `${JSON.stringify(value)} is not a boolean; write "true" to dry-run the policy or "false" to enforce it`,
    );
  }
}

/** For every other kind: the annotation is refused, as Istio's admission webhook does. */
export function checkNoDryRunAnnotation(ctx: RuleContext): void {
  if (!dryRunValue(ctx).present) return;
  ctx.error(
    COMMON_CODES.ANNOTATION_MISPLACED,
    PATH,
    `${DRY_RUN_ANNOTATION} only applies to AuthorizationPolicy; remove it from this ${ctx.resource.kind}`,
  );
}
