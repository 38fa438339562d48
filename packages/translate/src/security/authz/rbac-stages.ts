// The RBAC stages of one port, in Istio's order: AUDIT (LOG), DENY, then ALLOW. Each stage enforces its
// policies in `rules` and evaluates its dry-run (`istio.io/dry-run`) policies in `shadow_rules`.
import type { AuthorizationPolicy } from '@heddle/api';
import type { Policy, RBAC } from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import type { TranslationContext } from '../../translate-proxy.ts';
import { isDryRun, type PoliciesByAction } from './applicable-policies.ts';
import { NETWORK_RBAC_FILTER_NAMES, RBAC_FILTER_NAMES, SHADOW_STAT_PREFIXES } from './policy-names.ts';
import { rbacPolicies, rbacRules, type RbacAction } from './rbac-rules.ts';
import type { Transport } from './rule-policy.ts';

export interface RbacStage {
  readonly httpName: string;
  readonly networkName: string;
  readonly rules?: RBAC;
  readonly shadowRules?: RBAC;
  readonly shadowRulesStatPrefix?: string;
}

type StageKey = 'AUDIT' | 'DENY' | 'ALLOW';

const STAGES: readonly { readonly key: StageKey; readonly action: RbacAction }[] = [
  { key: 'AUDIT', action: 'LOG' },
  { key: 'DENY', action: 'DENY' },
  { key: 'ALLOW', action: 'ALLOW' },
];

/**
 * ALLOW rules are emitted whenever an ALLOW policy applies, even with no policies left (that denies
 * everything, as an ALLOW policy without rules must); DENY and LOG rules only when they match something.
 */
function ruleSet(
  action: RbacAction,
  policies: readonly AuthorizationPolicy[],
  built: ReadonlyMap<string, Policy>,
): RBAC | undefined {
  if (policies.length === 0) return undefined;
  if (action !== 'ALLOW' && built.size === 0) return undefined;
  return rbacRules(action, built);
}

export function rbacStages(
  ctx: TranslationContext,
  byAction: PoliciesByAction,
  transport: Transport,
): RbacStage[] {
  const stages: RbacStage[] = [];
  for (const { key, action } of STAGES) {
    const enforced = byAction[key].filter((p) => !isDryRun(p));
    const dryRun = byAction[key].filter(isDryRun);
    const rules = ruleSet(action, enforced, rbacPolicies(ctx, enforced, { action, transport }));
    const shadowRules = ruleSet(action, dryRun, rbacPolicies(ctx, dryRun, { action, transport }));
    if (!rules && !shadowRules) continue;
    stages.push({
      httpName: RBAC_FILTER_NAMES[key],
      networkName: NETWORK_RBAC_FILTER_NAMES[key],
      ...(rules ? { rules } : {}),
      ...(shadowRules ? { shadowRules, shadowRulesStatPrefix: SHADOW_STAT_PREFIXES[key] } : {}),
    });
  }
  return stages;
}
