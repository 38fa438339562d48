// Stable codes of the warnings the AuthorizationPolicy and RequestAuthentication translation emits, and a
// way to emit each once per translation (the same policy is seen on every port of a proxy).
import type { TranslationWarning } from '../model/translation-output.ts';
import type { TranslationContext } from '../translate-proxy.ts';

export const SECURITY_WARNINGS = {
  /** An ALLOW or AUDIT rule that cannot be checked where it applies (HTTP-only fields on TCP, bad value): ignored. */
  AUTHZ_RULE_IGNORED: 'HEDDLE_TRANSLATE_AUTHZ_RULE_IGNORED',
  /** A DENY (or failed CUSTOM) rule that cannot be checked as written: it denies everything there instead. */
  AUTHZ_RULE_DENIES_ALL: 'HEDDLE_TRANSLATE_AUTHZ_RULE_DENIES_ALL',
  /** A CUSTOM policy whose provider is missing, not an HTTP ext_authz provider, or not in the registry. */
  EXT_AUTHZ_PROVIDER_INVALID: 'HEDDLE_TRANSLATE_EXT_AUTHZ_PROVIDER_INVALID',
  /** The `istio.io/dry-run` annotation on a CUSTOM policy, which Istio does not support: enforced. */
  AUTHZ_DRY_RUN_UNSUPPORTED: 'HEDDLE_TRANSLATE_AUTHZ_DRY_RUN_UNSUPPORTED',
  /** A jwksUri (or issuer discovery) the control plane has not fetched: no token of that issuer is valid. */
  JWKS_UNAVAILABLE: 'HEDDLE_TRANSLATE_JWKS_UNAVAILABLE',
  /** An inline `jwks` that is not a JSON key set: no token of that issuer is valid. */
  JWKS_INVALID: 'HEDDLE_TRANSLATE_JWKS_INVALID',
} as const;

const emitted = new WeakMap<TranslationContext, Set<string>>();

export function warnOnce(ctx: TranslationContext, warning: TranslationWarning): void {
  const key = `${warning.code}\u0000${warning.resource ?? ''}\u0000${warning.message}`;
  let seen = emitted.get(ctx);
  if (!seen) emitted.set(ctx, (seen = new Set()));
  if (seen.has(key)) return;
  seen.add(key);
  ctx.warn(warning);
}

export function resourceRef(
  kind: string,
  metadata: { name: string; namespace?: string | undefined },
): string {
  return `${kind} ${metadata.namespace ?? 'default'}/${metadata.name}`;
}
