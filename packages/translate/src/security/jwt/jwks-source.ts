// Where a RequestAuthentication jwtRule's keys come from: inline `jwks`, a `jwksUri` the control plane
// fetches, or (neither set) the issuer's OpenID discovery document, which names the JWKS URI. The control
// plane's resolver and the translator share this, so the snapshot's `jwks` map keys agree.
import type { JWTRule, RequestAuthentication } from '@heddle/api';

export type JwksSource =
  | { readonly kind: 'inline'; readonly jwks: string }
  /** `key` is the URI to fetch the key set from. */
  | { readonly kind: 'uri'; readonly key: string }
  /** `key` is the discovery URL; its document's `jwks_uri` names the key set. */
  | { readonly kind: 'discovery'; readonly key: string }
  | { readonly kind: 'none' };

export function openIdDiscoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

export function jwksSourceOf(rule: JWTRule): JwksSource {
  if (rule.jwks !== undefined && rule.jwks !== '') return { kind: 'inline', jwks: rule.jwks };
  const uri = rule.jwksUri ?? rule.jwks_uri;
  if (uri !== undefined && uri !== '') return { kind: 'uri', key: uri };
  if (rule.issuer?.startsWith('https://') || rule.issuer?.startsWith('http://')) {
    return { kind: 'discovery', key: openIdDiscoveryUrl(rule.issuer) };
  }
  return { kind: 'none' };
}

export interface JwksFetch {
  readonly key: string;
  /** True when `key` is an OpenID discovery URL rather than the key set itself. */
  readonly discovery: boolean;
}

/** Every key set the RequestAuthentications need fetched, deduplicated and sorted. */
export function jwksToFetch(policies: readonly RequestAuthentication[]): JwksFetch[] {
  const wanted = new Map<string, boolean>();
  for (const policy of policies) {
    for (const rule of policy.spec.jwtRules ?? []) {
      const source = jwksSourceOf(rule);
      if (source.kind === 'uri' || source.kind === 'discovery')
        wanted.set(source.key, source.kind === 'discovery');
    }
  }
  return [...wanted.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, discovery]) => ({ key, discovery }));
}
