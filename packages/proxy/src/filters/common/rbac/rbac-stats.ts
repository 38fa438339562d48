// Envoy's RBAC stats: `<prefix>rbac.<rules_stat_prefix>allowed|denied` for enforced rules and
// `<prefix>rbac.<shadow_rules_stat_prefix>shadow_allowed|shadow_denied` for shadow rules.
import type { Counter, StatsSink } from '../../../stats/stats-sink.ts';

export interface RbacStats {
  readonly allowed: Counter;
  readonly denied: Counter;
  readonly shadowAllowed: Counter;
  readonly shadowDenied: Counter;
}

/** Joins like Envoy's statPrefixJoin: one dot between a non-empty prefix and the rest. */
export function joinStatPrefix(prefix: string, rest: string): string {
  if (prefix === '') return rest;
  return prefix.endsWith('.') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

export function createRbacStats(
  stats: StatsSink,
  prefix: string,
  rulesStatPrefix: string,
  shadowRulesStatPrefix: string,
): RbacStats {
  const base = joinStatPrefix(prefix, 'rbac.');
  return {
    allowed: stats.counter(`${base}${rulesStatPrefix}allowed`),
    denied: stats.counter(`${base}${rulesStatPrefix}denied`),
    shadowAllowed: stats.counter(`${base}${shadowRulesStatPrefix}shadow_allowed`),
    shadowDenied: stats.counter(`${base}${shadowRulesStatPrefix}shadow_denied`),
  };
}
