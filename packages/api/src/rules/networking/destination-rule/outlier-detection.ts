// Outlier detection of a DestinationRule: when hosts are ejected from the pool, and for how long.
import { NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { checkDurationAt, checkPercentAt, isRecord, numberAt } from '../value-checks.ts';

// The deprecated `consecutiveErrors` is reported by the field layer; nothing more to say about it here.
export function checkOutlierDetection(ctx: RuleContext, outlier: unknown, path: FieldPath): void {
  if (!isRecord(outlier)) return;
  checkDurationAt(ctx, outlier, 'interval', path);
  checkDurationAt(ctx, outlier, 'baseEjectionTime', path);
  const localOrigin = numberAt(outlier, 'consecutiveLocalOriginFailures');
  if (localOrigin !== undefined && localOrigin > 0 && outlier.splitExternalLocalOriginErrors !== true) {
    ctx.error(
      NETWORKING_CODES.DR_LOCAL_ORIGIN_NEEDS_SPLIT,
      [...path, 'consecutiveLocalOriginFailures'],
      'local-origin failures are only counted apart when splitExternalLocalOriginErrors is true; set it, or remove this field',
    );
  }
  checkPercentAt(ctx, outlier, 'maxEjectionPercent', path);
  checkPercentAt(ctx, outlier, 'minHealthPercent', path);
}
