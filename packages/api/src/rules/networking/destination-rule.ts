// Semantic rules for DestinationRule (the admission webhook's checks).
import { COMMON_CODES, NETWORKING_CODES } from '../../findings/codes.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkExportTo } from '../common/export-to.ts';
import { checkWildcardHost } from '../common/host.ts';
import { checkLabels } from '../common/selector.ts';
import { isDns1123Label } from '../common/values.ts';
import { checkTrafficPolicy } from './destination-rule/traffic-policy.ts';
import { isRecord, listAt, recordAt, stringAt, type Obj } from './value-checks.ts';

function checkSubsets(ctx: RuleContext, spec: Obj): void {
  const names = new Set<string>();
  listAt(spec, 'subsets').forEach((subset, index) => {
    if (!isRecord(subset)) return;
    const at = ['spec', 'subsets', index];
    const name = stringAt(subset, 'name');
    if (name !== undefined && !isDns1123Label(name)) {
      ctx.error(
        COMMON_CODES.NAME_INVALID,
        [...at, 'name'],
        name === ''
          ? 'subset name is empty; give it a name such as v1'
          : `"${name}" is not a valid subset name; use lower-case letters, digits and "-" (e.g. v1, canary)`,
      );
    } else if (name !== undefined && names.has(name)) {
      ctx.error(
        COMMON_CODES.DUPLICATE_ENTRY,
        [...at, 'name'],
        `subset "${name}" is defined twice; subset names must be unique`,
      );
    }
    if (name !== undefined) names.add(name);
    checkLabels(ctx, subset.labels, [...at, 'labels']);
    checkTrafficPolicy(ctx, subset.trafficPolicy, [...at, 'trafficPolicy']);
  });
}

function checkWorkloadSelector(ctx: RuleContext, spec: Obj): boolean {
  const selector = recordAt(spec, 'workloadSelector');
  if (!selector) return false;
  const emptyWarning =
    'workloadSelector has no labels, so it selects every workload in the namespace; add matchLabels or remove workloadSelector';
  if (selector.matchLabels === undefined) {
    ctx.warn(COMMON_CODES.SELECTOR_EMPTY, ['spec', 'workloadSelector'], emptyWarning);
  } else {
    checkLabels(ctx, selector.matchLabels, ['spec', 'workloadSelector', 'matchLabels'], { emptyWarning });
  }
  return true;
}

export const validateDestinationRule: KindValidator = (ctx, spec) => {
  const host = stringAt(spec, 'host');
  if (host !== undefined) {
    const problem =
      host === ''
        ? 'host is empty; name the service these policies apply to, e.g. reviews'
        : checkWildcardHost(host);
    if (problem) ctx.error(COMMON_CODES.HOST_INVALID, ['spec', 'host'], problem);
  }
  checkTrafficPolicy(ctx, spec.trafficPolicy, ['spec', 'trafficPolicy']);
  checkSubsets(ctx, spec);
  const hasSelector = checkWorkloadSelector(ctx, spec);
  const exported = checkExportTo(ctx, spec.exportTo, ['spec', 'exportTo']);
  if (hasSelector && exported.size > 0 && (exported.size > 1 || !exported.has(ctx.namespace))) {
    ctx.error(
      NETWORKING_CODES.DR_SELECTOR_EXPORT_TO,
      ['spec', 'exportTo'],
      'a DestinationRule with workloadSelector only applies to workloads in its own namespace; set exportTo to ["."] or remove it',
    );
  }
};
