// The key set one JWT provider verifies with: inline, or fetched by the control plane (snapshot `jwks`).
// Anything missing or malformed becomes a key set no token satisfies, with a warning: never a fallback key.
import type { JWTRule, RequestAuthentication } from '@heddle/api';
import type { TranslationContext } from '../../translate-proxy.ts';
import { resourceRef, SECURITY_WARNINGS, warnOnce } from '../security-warnings.ts';
import { jwksSourceOf } from './jwks-source.ts';
import { UNRESOLVABLE_JWKS } from './unresolvable-jwks.ts';

/** A JSON object with a `keys` array: the shape of a JWK Set (RFC 7517). */
export function isJwkSet(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return (
      typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { keys?: unknown }).keys)
    );
  } catch {
    return false;
  }
}

export function providerJwks(ctx: TranslationContext, policy: RequestAuthentication, rule: JWTRule): string {
  const resource = resourceRef('RequestAuthentication', policy.metadata);
  const issuer = rule.issuer ?? '';
  const source = jwksSourceOf(rule);
  if (source.kind === 'inline') {
    if (isJwkSet(source.jwks)) return source.jwks;
    warnOnce(ctx, {
      code: SECURITY_WARNINGS.JWKS_INVALID,
      resource,
      message: `the inline jwks of issuer "${issuer}" is not a JSON Web Key Set; its tokens are rejected`,
    });
    return UNRESOLVABLE_JWKS;
  }
  const fetched = source.kind === 'none' ? undefined : ctx.index.snapshot.jwks.get(source.key);
  if (fetched !== undefined && isJwkSet(fetched)) return fetched;
  warnOnce(ctx, {
    code: SECURITY_WARNINGS.JWKS_UNAVAILABLE,
    resource,
    message:
      source.kind === 'none'
        ? `issuer "${issuer}" has no jwks, jwksUri or discoverable URL; its tokens are rejected`
        : `the key set of issuer "${issuer}" (${source.key}) has not been fetched; its tokens are rejected until it is`,
  });
  return UNRESOLVABLE_JWKS;
}
