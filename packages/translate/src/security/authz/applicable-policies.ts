// The AuthorizationPolicies in force at one port of one proxy, split by action and dry-run, sorted by
// namespace and name so that output is deterministic.
import type { AuthorizationAction, AuthorizationPolicy } from '@heddle/api';
import type { TranslationContext } from '../../translate-proxy.ts';
import { attachedPolicies, type AttachmentPoint } from '../policy/policy-targets.ts';

export const DRY_RUN_ANNOTATION = 'istio.io/dry-run';
/** The spellings Istio reads as true (Go's strconv.ParseBool). */
const TRUE_SPELLINGS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

export function isDryRun(policy: AuthorizationPolicy): boolean {
  const value = policy.metadata.annotations?.[DRY_RUN_ANNOTATION];
  return value !== undefined && TRUE_SPELLINGS.has(value);
}

export function actionOf(policy: AuthorizationPolicy): AuthorizationAction {
  return policy.spec.action ?? 'ALLOW';
}

export type PoliciesByAction = Readonly<Record<AuthorizationAction, readonly AuthorizationPolicy[]>>;

const byNamespaceAndName = (a: AuthorizationPolicy, b: AuthorizationPolicy): number =>
  (a.metadata.namespace ?? 'default').localeCompare(b.metadata.namespace ?? 'default') ||
  a.metadata.name.localeCompare(b.metadata.name);

export function applicableAuthorizationPolicies(
  ctx: TranslationContext,
  point: AttachmentPoint,
): PoliciesByAction {
  const policies = attachedPolicies(
    ctx.index.snapshot.authorizationPolicies,
    point,
    (p) => p.spec.selector?.matchLabels,
  ).sort(byNamespaceAndName);
  const of = (action: AuthorizationAction) => policies.filter((p) => actionOf(p) === action);
  return { ALLOW: of('ALLOW'), DENY: of('DENY'), AUDIT: of('AUDIT'), CUSTOM: of('CUSTOM') };
}

/** The mesh trust domain, then its aliases: a principal naming one of them names them all. */
export function trustDomainsOf(ctx: TranslationContext): string[] {
  return [...new Set([ctx.index.trustDomain, ...(ctx.index.snapshot.meshConfig.trustDomainAliases ?? [])])];
}
