// Names of the Envoy RBAC policies and filters generated from AuthorizationPolicy.
import type { AuthorizationPolicy } from '@heddle/api';

/** Istio's policy name per rule, which stats, access logs and `heddle x authz check` read back. */
export function rbacPolicyName(policy: AuthorizationPolicy, ruleIndex: number): string {
  return `ns[${policy.metadata.namespace ?? 'default'}]-policy[${policy.metadata.name}]-rule[${ruleIndex}]`;
}

/** CUSTOM rules carry this prefix: ext_authz runs only when the shadow policy that matched has it. */
export const EXT_AUTHZ_POLICY_PREFIX = 'istio-ext-authz';

/**
 * HTTP filter names: a connection manager keeps one filter per name, so each RBAC stage has its own name.
 * The config's type URL (`envoy.extensions.filters.http.rbac.v3.RBAC`) selects the implementation; the
 * dynamic metadata every stage writes is under Envoy's `envoy.filters.http.rbac` namespace, whatever the name.
 */
export const RBAC_FILTER_NAMES = {
  EXT_AUTHZ: 'envoy.filters.http.rbac.ext_authz',
  AUDIT: 'envoy.filters.http.rbac.audit',
  DENY: 'envoy.filters.http.rbac.deny',
  ALLOW: 'envoy.filters.http.rbac.allow',
} as const;

/** Network filter names on TCP chains, one per stage for the same reason. */
export const NETWORK_RBAC_FILTER_NAMES = {
  EXT_AUTHZ: 'envoy.filters.network.rbac.ext_authz',
  AUDIT: 'envoy.filters.network.rbac.audit',
  DENY: 'envoy.filters.network.rbac.deny',
  ALLOW: 'envoy.filters.network.rbac.allow',
} as const;

/** Istio's stat prefixes for dry-run (shadow) rules and for the CUSTOM shadow rules. */
export const SHADOW_STAT_PREFIXES = {
  ALLOW: 'istio_dry_run_allow_',
  DENY: 'istio_dry_run_deny_',
  AUDIT: 'istio_dry_run_audit_',
  EXT_AUTHZ: 'istio_ext_authz_',
} as const;

/** Where the CUSTOM shadow filter records the matched policy (Envoy prefixes the key with the stat prefix). */
export const EXT_AUTHZ_SHADOW_POLICY_KEY = `${SHADOW_STAT_PREFIXES.EXT_AUTHZ}shadow_effective_policy_id`;

/** Network RBAC needs a stat prefix; Istio's. */
export const NETWORK_RBAC_STAT_PREFIX = 'tcp.';
