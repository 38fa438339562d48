// One AuthorizationPolicy rule as one Envoy RBAC policy: `to` and the request-side `when` conditions as
// permissions, `from` and the sender-side conditions as principals (Istio's layout: one AND of each).
import { create } from '@bufbuild/protobuf';
import type { AuthorizationRule } from '@heddle/api';
import { PolicySchema, type Policy } from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import { conditionNeedsHttp, conditionParts } from './conditions.ts';
import type { MissingIdentity, TrustDomains } from './identity-matchers.ts';
import { operationNeedsHttp, operationPermission } from './operation-permission.ts';
import { andIds, andRules, anyPermission, anyPrincipal, orIds, orRules } from './rbac-combinators.ts';
import { sourceNeedsHttp, sourcePrincipal } from './source-principal.ts';

export type Transport = 'http' | 'tcp';

export type RuleTranslation =
  | { readonly kind: 'policy'; readonly policy: Policy }
  /** The rule cannot be checked as written: ALLOW drops it, DENY turns it into match-all (fail closed). */
  | { readonly kind: 'unusable'; readonly reason: string };

/** Whether a rule names anything only an HTTP request has (then it cannot be checked on a TCP port). */
export function ruleNeedsHttp(rule: AuthorizationRule): boolean {
  return (
    (rule.from ?? []).some((f) => f.source !== undefined && sourceNeedsHttp(f.source)) ||
    (rule.to ?? []).some((t) => t.operation !== undefined && operationNeedsHttp(t.operation)) ||
    (rule.when ?? []).some((c) => conditionNeedsHttp(c.key))
  );
}

/** Every request and connection. */
export function matchAllPolicy(): Policy {
  return create(PolicySchema, { permissions: [anyPermission()], principals: [anyPrincipal()] });
}

export function rulePolicy(
  rule: AuthorizationRule,
  policyNamespace: string,
  trustDomains: TrustDomains,
  transport: Transport,
  missingIdentity: MissingIdentity = 'no-match',
): RuleTranslation {
  if (transport === 'tcp' && ruleNeedsHttp(rule)) {
    return { kind: 'unusable', reason: 'it uses HTTP-only fields' };
  }
  const problems: string[] = [];
  const env = {
    policyNamespace,
    trustDomains,
    missingIdentity,
    problem: (message: string) => problems.push(message),
  };
  const from = (rule.from ?? []).filter((f) => f.source !== undefined);
  const to = (rule.to ?? []).filter((t) => t.operation !== undefined);
  const conditions = conditionParts(rule.when ?? [], env);
  const principal =
    from.length === 0 ? anyPrincipal() : orIds(from.map((f) => sourcePrincipal(f.source ?? {}, env)));
  const permission =
    to.length === 0 ? anyPermission() : orRules(to.map((t) => operationPermission(t.operation ?? {}, env)));
  if (problems.length > 0) return { kind: 'unusable', reason: problems.join('; ') };
  return {
    kind: 'policy',
    policy: create(PolicySchema, {
      permissions: [andRules([permission, ...conditions.permissions])],
      principals: [andIds([principal, ...conditions.principals])],
    }),
  };
}
