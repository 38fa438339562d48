// The enforced and shadow engines of one RBAC filter config (HTTP or network), and the decision they reach:
// what to enforce, plus the shadow verdict that is only reported (metadata and stats), never enforced.
import type { RBAC } from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import type { CompileResult } from '../../../http/routing/string-matcher.ts';
import type { AuthorizationInput } from './authorization-input.ts';
import { compileRbacEngine, evaluateRbac, type RbacDecision, type RbacEngine } from './rbac-engine.ts';

export interface RbacRules {
  /** Absent: nothing is enforced (Envoy: no `rules` means no enforcing policy). */
  readonly enforced?: RbacEngine;
  readonly shadow?: RbacEngine;
  readonly shadowRulesStatPrefix: string;
}

export interface RbacRulesSource {
  readonly rules?: RBAC | undefined;
  readonly shadowRules?: RBAC | undefined;
  readonly shadowRulesStatPrefix: string;
  readonly matcher?: unknown;
  readonly shadowMatcher?: unknown;
}

export function compileRbacRules(source: RbacRulesSource, where: string): CompileResult<RbacRules> {
  if (source.matcher !== undefined || source.shadowMatcher !== undefined) {
    return { error: `${where}: matcher / shadow_matcher (the matcher API) is not supported; use rules` };
  }
  let enforced: RbacEngine | undefined;
  if (source.rules) {
    const compiled = compileRbacEngine(source.rules, `${where}.rules`);
    if ('error' in compiled) return compiled;
    enforced = compiled.value;
  }
  let shadow: RbacEngine | undefined;
  if (source.shadowRules) {
    const compiled = compileRbacEngine(source.shadowRules, `${where}.shadow_rules`);
    if ('error' in compiled) return compiled;
    shadow = compiled.value;
  }
  return {
    value: {
      ...(enforced ? { enforced } : {}),
      ...(shadow ? { shadow } : {}),
      shadowRulesStatPrefix: source.shadowRulesStatPrefix,
    },
  };
}

export interface RbacOutcome {
  readonly enforced?: RbacDecision;
  readonly shadow?: RbacDecision;
}

export function evaluateRbacRules(rules: RbacRules, input: AuthorizationInput): RbacOutcome {
  return {
    ...(rules.enforced ? { enforced: evaluateRbac(rules.enforced, input) } : {}),
    ...(rules.shadow ? { shadow: evaluateRbac(rules.shadow, input) } : {}),
  };
}

/** The dynamic metadata Envoy writes for shadow rules, under the filter's name. */
export function shadowMetadata(rules: RbacRules, shadow: RbacDecision): Record<string, unknown> {
  const prefix = rules.shadowRulesStatPrefix;
  return {
    ...(shadow.policyId !== undefined ? { [`${prefix}shadow_effective_policy_id`]: shadow.policyId } : {}),
    [`${prefix}shadow_engine_result`]: shadow.allowed ? 'allowed' : 'denied',
  };
}
