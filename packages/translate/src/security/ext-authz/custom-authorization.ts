// CUSTOM AuthorizationPolicies at one port. Requests matching a CUSTOM rule are sent to the provider: the
// rules go to the `shadow_rules` of an RBAC filter (names prefixed `istio-ext-authz`), whose matched policy
// name enables ext_authz. A CUSTOM policy that cannot be served (unknown or unsupported provider, a second
// provider on one workload — Istio allows one —, or a TCP port) fails closed: its rules deny.
import type { AuthorizationPolicy } from '@heddle/api';
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { TranslationContext } from '../../translate-proxy.ts';
import { isDryRun } from '../authz/applicable-policies.ts';
import {
  EXT_AUTHZ_POLICY_PREFIX,
  NETWORK_RBAC_FILTER_NAMES,
  RBAC_FILTER_NAMES,
  SHADOW_STAT_PREFIXES,
} from '../authz/policy-names.ts';
import { rbacPolicies, rbacRules } from '../authz/rbac-rules.ts';
import type { RbacStage } from '../authz/rbac-stages.ts';
import type { Transport } from '../authz/rule-policy.ts';
import { resourceRef, SECURITY_WARNINGS, warnOnce } from '../security-warnings.ts';
import { extAuthzFilter } from './ext-authz-filter.ts';
import { resolveExtAuthzProvider, type ResolvedProvider } from './extension-provider.ts';

export interface CustomAuthorization {
  readonly stage?: RbacStage;
  readonly extAuthz?: HttpFilter;
}

export function customAuthorization(
  ctx: TranslationContext,
  policies: readonly AuthorizationPolicy[],
  transport: Transport,
): CustomAuthorization {
  if (policies.length === 0) return {};
  let chosen: ResolvedProvider | undefined;
  const checked: AuthorizationPolicy[] = [];
  const failed: AuthorizationPolicy[] = [];
  for (const policy of policies) {
    const resource = resourceRef('AuthorizationPolicy', policy.metadata);
    if (isDryRun(policy)) {
      warnOnce(ctx, {
        code: SECURITY_WARNINGS.AUTHZ_DRY_RUN_UNSUPPORTED,
        resource,
        message: 'dry-run is not supported for CUSTOM policies; the policy is enforced',
      });
    }
    const name = policy.spec.provider?.name;
    const resolution = resolveExtAuthzProvider(ctx, name);
    let reason: string | undefined;
    if (resolution.kind === 'invalid') reason = resolution.reason;
    else if (transport === 'tcp')
      reason = `provider "${name ?? ''}" checks HTTP requests, not TCP connections`;
    else if (chosen && chosen.name !== resolution.resolved.name)
      reason = `the workload already uses provider "${chosen.name}" and only one is allowed`;
    if (reason !== undefined) {
      warnOnce(ctx, {
        code: SECURITY_WARNINGS.EXT_AUTHZ_PROVIDER_INVALID,
        resource,
        message: `${reason}; the requests its rules match are denied`,
      });
      failed.push(policy);
      continue;
    }
    if (resolution.kind === 'resolved') chosen ??= resolution.resolved;
    checked.push(policy);
  }
  const denied = rbacPolicies(ctx, failed, { action: 'DENY', transport });
  const shadow = rbacPolicies(ctx, checked, {
    action: 'DENY',
    transport,
    namePrefix: `${EXT_AUTHZ_POLICY_PREFIX}-`,
  });
  if (denied.size === 0 && shadow.size === 0) return {};
  return {
    stage: {
      httpName: RBAC_FILTER_NAMES.EXT_AUTHZ,
      networkName: NETWORK_RBAC_FILTER_NAMES.EXT_AUTHZ,
      ...(denied.size > 0 ? { rules: rbacRules('DENY', denied) } : {}),
      ...(shadow.size > 0
        ? { shadowRules: rbacRules('DENY', shadow), shadowRulesStatPrefix: SHADOW_STAT_PREFIXES.EXT_AUTHZ }
        : {}),
    },
    ...(chosen && shadow.size > 0 ? { extAuthz: extAuthzFilter(chosen) } : {}),
  };
}
