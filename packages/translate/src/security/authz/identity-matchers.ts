// mTLS peer identities as Envoy matchers on the SPIFFE URI (`spiffe://<trust-domain>/ns/<ns>/sa/<sa>`):
// principals, namespaces and service accounts, with the mesh trust domain's aliases expanded explicitly.
import { create } from '@bufbuild/protobuf';
import { PrincipalSchema, type Principal } from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import { StringMatcherSchema, type StringMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/string_pb.ts';
import { andIds, notId, orIds } from './rbac-combinators.ts';
import { ANY_VALUE_REGEX, escapeRegex, formMatcher, valueForm } from './value-matchers.ts';

const SPIFFE = 'spiffe://';

/** The mesh trust domain first, then its aliases; a policy naming any of them means all of them. */
export type TrustDomains = readonly string[];

function regexMatcher(regex: string): StringMatcher {
  return create(StringMatcherSchema, { matchPattern: { case: 'safeRegex', value: { regex } } });
}

/** A connection whose mTLS peer certificate names an identity matching `matcher`. */
export function authenticatedAs(matcher: StringMatcher): Principal {
  return create(PrincipalSchema, {
    identifier: { case: 'authenticated', value: { principalName: matcher } },
  });
}

/** Any mTLS peer identity at all; plaintext connections have none. */
export function hasPeerIdentity(): Principal {
  return authenticatedAs(regexMatcher(ANY_VALUE_REGEX));
}

/**
 * Heddle is stricter than Istio: a negated identity rule needs an identity to negate, so plaintext traffic
 * never satisfies `notPrincipals`/`notNamespaces` (Istio lets it through).
 */
export function notIdentity(ids: readonly Principal[]): Principal {
  return andIds([hasPeerIdentity(), notId(orIds(ids))]);
}

/**
 * What a connection without an mTLS identity does to a negated identity rule. Stricter means the side that
 * fails closed: in ALLOW it does not match (no identity is not "some other identity"), while in DENY and
 * CUSTOM it matches, so that `notNamespaces: [x]` still denies (or checks) plaintext as Istio does.
 */
export type MissingIdentity = 'no-match' | 'match';

export function negatedIdentity(ids: readonly Principal[], missing: MissingIdentity): Principal {
  return missing === 'no-match' ? notIdentity(ids) : notId(orIds(ids));
}

/** `td/ns/x/sa/y` for every trust domain when `td` is the mesh's or an alias; else the value alone. */
function expandTrustDomain(value: string, domains: TrustDomains): string[] {
  const slash = value.indexOf('/');
  if (slash <= 0) return [value];
  const domain = value.slice(0, slash);
  if (!domains.includes(domain)) return [value];
  return [...new Set(domains.map((d) => `${d}${value.slice(slash)}`))];
}

/** Istio's principal forms: `*`, `*suffix` (on the whole URI), `prefix*` and exact (after `spiffe://`). */
export function principalMatchers(value: string, domains: TrustDomains): StringMatcher[] {
  const form = valueForm(value);
  switch (form.kind) {
    case 'any':
    case 'suffix':
      return [formMatcher(form)];
    case 'prefix':
    case 'exact':
      return expandTrustDomain(form.value, domains).map((v) =>
        formMatcher({ kind: form.kind, value: `${SPIFFE}${v}` }),
      );
  }
}

/** Namespaces match the `/ns/<namespace>/` segment of the SPIFFE URI, in any trust domain. */
export function namespaceMatcher(value: string): StringMatcher {
  const form = valueForm(value);
  const namespace =
    form.kind === 'any'
      ? '[^/]+'
      : form.kind === 'prefix'
        ? `${escapeRegex(form.value)}[^/]*`
        : form.kind === 'suffix'
          ? `[^/]*${escapeRegex(form.value)}`
          : escapeRegex(form.value);
  return regexMatcher(`spiffe://[^/]+/ns/${namespace}/sa/[^/]+`);
}

/** `<namespace>/<service-account>` (a bare name is in the policy's namespace), matched literally. */
export function serviceAccountMatchers(
  value: string,
  policyNamespace: string,
  domains: TrustDomains,
): StringMatcher[] {
  const [namespace, account] = value.includes('/') ? value.split('/', 2) : [policyNamespace, value];
  return domains.map((domain) =>
    formMatcher({ kind: 'exact', value: `${SPIFFE}${domain}/ns/${namespace ?? ''}/sa/${account ?? ''}` }),
  );
}

export function principalIds(values: readonly string[], domains: TrustDomains): Principal[] {
  return values.flatMap((v) => principalMatchers(v, domains)).map(authenticatedAs);
}

export function namespaceIds(values: readonly string[]): Principal[] {
  return values.map((v) => authenticatedAs(namespaceMatcher(v)));
}

export function serviceAccountIds(
  values: readonly string[],
  policyNamespace: string,
  domains: TrustDomains,
): Principal[] {
  return values.flatMap((v) => serviceAccountMatchers(v, policyNamespace, domains)).map(authenticatedAs);
}
