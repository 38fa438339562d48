// Locality-aware load balancing of a DestinationRule: weighted distribution or failover between regions.
import { COMMON_CODES, NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isRecord, listAt, recordAt, stringAt } from '../value-checks.ts';

// failover already orders endpoints by these, so failoverPriority may not repeat them.
const TOPOLOGY_LABELS = [
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
  'topology.istio.io/subzone',
];

function localityProblem(locality: string): string | undefined {
  if (locality === '') return 'locality must not be empty; write region, region/zone or region/zone/subzone';
  const stars = locality.split('*').length - 1;
  if (stars > 1 || (stars === 1 && !locality.endsWith('*')))
    return `"${locality}" may only use one "*", as its last character (e.g. us-east/*)`;
  if (locality.split('/').length > 3)
    return `"${locality}" has too many parts; write region, region/zone or region/zone/subzone`;
  return undefined;
}

function checkDistribute(ctx: RuleContext, entries: readonly unknown[], path: FieldPath): void {
  entries.forEach((entry, index) => {
    if (!isRecord(entry)) return;
    const at = [...path, index];
    const from = stringAt(entry, 'from');
    const fromProblem = from === undefined ? undefined : localityProblem(from);
    if (fromProblem) ctx.error(NETWORKING_CODES.DR_LOCALITY_INVALID, [...at, 'from'], fromProblem);
    const to = recordAt(entry, 'to') ?? {};
    let total = 0;
    for (const [locality, weight] of Object.entries(to)) {
      const problem = localityProblem(locality);
      if (problem) ctx.error(NETWORKING_CODES.DR_LOCALITY_INVALID, [...at, 'to', locality], problem);
      if (typeof weight !== 'number') continue;
      if (weight < 1 || weight > 100) {
        ctx.error(
          NETWORKING_CODES.DR_LOCALITY_INVALID,
          [...at, 'to', locality],
          `weight ${weight} is out of range; each locality weight is from 1 to 100`,
        );
      }
      total += weight;
    }
    if (total !== 100) {
      ctx.error(
        NETWORKING_CODES.DR_LOCALITY_INVALID,
        [...at, 'to'],
        `the weights add up to ${total}; they must add up to 100`,
      );
    }
  });
}

function checkFailover(ctx: RuleContext, entries: readonly unknown[], path: FieldPath): void {
  entries.forEach((entry, index) => {
    if (!isRecord(entry)) return;
    const at = [...path, index];
    const from = stringAt(entry, 'from') ?? '';
    const to = stringAt(entry, 'to') ?? '';
    if (from === to) {
      ctx.error(
        NETWORKING_CODES.DR_LOCALITY_INVALID,
        at,
        'failover must go from one region to a different region',
      );
    } else if (from.includes('/') || to.includes('/')) {
      ctx.error(
        NETWORKING_CODES.DR_LOCALITY_INVALID,
        at,
        'failover names regions only (no zone or subzone); use failoverPriority for finer ordering',
      );
    } else if (from.includes('*') || to.includes('*')) {
      ctx.error(
        NETWORKING_CODES.DR_LOCALITY_INVALID,
        at,
        'failover regions cannot contain "*"; name each region',
      );
    }
  });
}

export function checkLocalityLbSetting(ctx: RuleContext, setting: unknown, path: FieldPath): void {
  if (!isRecord(setting)) return;
  const distribute = listAt(setting, 'distribute');
  const failover = listAt(setting, 'failover');
  if (distribute.length > 0 && failover.length > 0) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'failover'],
      'distribute and failover cannot be used together; choose one',
    );
    return;
  }
  if (failover.length > 0) {
    listAt(setting, 'failoverPriority').forEach((label, index) => {
      if (typeof label === 'string' && TOPOLOGY_LABELS.includes(label)) {
        ctx.error(
          COMMON_CODES.CONFLICTING_FIELDS,
          [...path, 'failoverPriority', index],
          `failover already orders endpoints by region, zone and subzone; remove "${label}" from failoverPriority or remove failover`,
        );
      }
    });
  }
  checkDistribute(ctx, distribute, [...path, 'distribute']);
  checkFailover(ctx, failover, [...path, 'failover']);
}
