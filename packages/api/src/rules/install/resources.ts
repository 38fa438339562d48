// Container resources (`requests`/`limits` of cpu and memory): valid quantities, plausible units, and
// limits not below requests.
import { INSTALL_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkMap, checkUnknownKeys, describeValue } from '../../mesh/field-checks.ts';
import { formatBytes, parseQuantity } from './quantity.ts';

/** Parsed amounts per resource name, for callers that use them (e.g. heap sizing). */
export type ResourceAmounts = Readonly<Record<string, number>>;

export interface CheckedResources {
  readonly requests: ResourceAmounts;
  readonly limits: ResourceAmounts;
}

export function checkResources(ctx: RuleContext, value: unknown, path: FieldPath): CheckedResources {
  const empty = { requests: {}, limits: {} };
  if (value === undefined || value === null || !checkMap(ctx, value, path)) return empty;
  checkUnknownKeys(ctx, value, path, ['requests', 'limits', 'claims'], { owner: 'resources' });
  const requests = checkAmounts(ctx, value.requests, [...path, 'requests']);
  const limits = checkAmounts(ctx, value.limits, [...path, 'limits']);
  for (const [name, limit] of Object.entries(limits)) {
    const request = requests[name];
    if (request === undefined || limit >= request) continue;
    const show = (amount: number): string => (name === 'memory' ? formatBytes(amount) : String(amount));
    ctx.warn(
      INSTALL_CODES.LIMIT_BELOW_REQUEST,
      [...path, 'limits', name],
      `the ${name} limit (${show(limit)}) is below the request (${show(request)}); Kubernetes rejects this, so raise the limit or lower the request`,
    );
  }
  return { requests, limits };
}

function checkAmounts(ctx: RuleContext, value: unknown, path: FieldPath): ResourceAmounts {
  if (value === undefined || value === null || !checkMap(ctx, value, path)) return {};
  const amounts: Record<string, number> = {};
  for (const [name, raw] of Object.entries(value)) {
    const quantity = parseQuantity(raw);
    if (!quantity) {
      ctx.error(
        INSTALL_CODES.QUANTITY_INVALID,
        [...path, name],
        `${describeValue(raw)} is not a quantity; write cpu as cores or millicores ("500m", "2") and memory with a unit ("512Mi", "2Gi")`,
      );
      continue;
    }
    if (quantity.value < 0) {
      ctx.error(INSTALL_CODES.QUANTITY_INVALID, [...path, name], `${describeValue(raw)} is negative`);
      continue;
    }
    amounts[name] = quantity.value;
    const doubt = suspicion(name, raw, quantity.value, quantity.suffix);
    if (doubt) ctx.warn(INSTALL_CODES.QUANTITY_SUSPICIOUS, [...path, name], doubt);
  }
  return amounts;
}

/** Catches the classic unit mistakes: `memory: 512m` (millibytes) and `memory: 512` (bytes). */
function suspicion(name: string, raw: unknown, value: number, suffix: string): string | undefined {
  const text = String(raw);
  if (name === 'memory' && suffix === 'm')
    return `"${text}" means ${value} bytes ("m" is milli); for megabytes write "${text.slice(0, -1)}Mi"`;
  if (name === 'memory' && value > 0 && value < 1024 * 1024)
    return `${text} is only ${formatBytes(value)}; memory without a unit is bytes, so write e.g. "${text}Mi"`;
  if (name === 'cpu' && suffix === '' && value >= 100)
    return `${text} means ${value} CPU cores; for millicores write "${text}m"`;
  return undefined;
}
