// The Envoy RBAC rule set (`envoy.config.rbac.v3.RBAC`) of one action from a list of AuthorizationPolicies:
// one policy per rule; a rule that cannot be checked is dropped by ALLOW/LOG and denies everything in DENY.
import { create } from '@bufbuild/protobuf';
import type { AuthorizationPolicy } from '@heddle/api';
import {
  RBAC_Action,
  RBACSchema,
  type Policy,
  type RBAC,
} from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import type { TranslationContext } from '../../translate-proxy.ts';
import { resourceRef, SECURITY_WARNINGS, warnOnce } from '../security-warnings.ts';
import { trustDomainsOf } from './applicable-policies.ts';
import { rbacPolicyName } from './policy-names.ts';
import { matchAllPolicy, rulePolicy, type Transport } from './rule-policy.ts';

export type RbacAction = 'ALLOW' | 'DENY' | 'LOG';

export interface RbacRulesOptions {
  readonly action: RbacAction;
  readonly transport: Transport;
  /** Prepended to every policy name (CUSTOM rules carry `istio-ext-authz-`). */
  readonly namePrefix?: string;
}

/** The policies of `policies`' rules by name, sorted by name. */
export function rbacPolicies(
  ctx: TranslationContext,
  policies: readonly AuthorizationPolicy[],
  options: RbacRulesOptions,
): Map<string, Policy> {
  const trustDomains = trustDomainsOf(ctx);
  const entries: [string, Policy][] = [];
  for (const policy of policies) {
    const namespace = policy.metadata.namespace ?? 'default';
    (policy.spec.rules ?? []).forEach((rule, index) => {
      const name = `${options.namePrefix ?? ''}${rbacPolicyName(policy, index)}`;
      // Only ALLOW may treat plaintext as not matching a negated identity: elsewhere that would fail open.
      const missingIdentity = options.action === 'ALLOW' ? 'no-match' : 'match';
      const translated = rulePolicy(rule, namespace, trustDomains, options.transport, missingIdentity);
      if (translated.kind === 'policy') {
        entries.push([name, translated.policy]);
        return;
      }
      const resource = resourceRef('AuthorizationPolicy', policy.metadata);
      if (options.action === 'DENY') {
        warnOnce(ctx, {
          code: SECURITY_WARNINGS.AUTHZ_RULE_DENIES_ALL,
          resource,
          message: `rule ${index} denies ${options.transport === 'tcp' ? 'every TCP connection' : 'every request'} because ${translated.reason}`,
        });
        entries.push([name, matchAllPolicy()]);
      } else {
        warnOnce(ctx, {
          code: SECURITY_WARNINGS.AUTHZ_RULE_IGNORED,
          resource,
          message: `rule ${index} is ignored${options.transport === 'tcp' ? ' on TCP ports' : ''} because ${translated.reason}`,
        });
      }
    });
  }
  return new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const ACTIONS: Readonly<Record<RbacAction, RBAC_Action>> = {
  ALLOW: RBAC_Action.ALLOW,
  DENY: RBAC_Action.DENY,
  LOG: RBAC_Action.LOG,
};

export function rbacRules(action: RbacAction, policies: ReadonlyMap<string, Policy>): RBAC {
  return create(RBACSchema, { action: ACTIONS[action], policies: Object.fromEntries(policies) });
}
