// One `from.source` of a rule as an Envoy RBAC principal: its fields ANDed, each field's values ORed.
import type { Source } from '@heddle/api';
import type { Principal } from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import { AUTHN_PRINCIPAL_KEY, authnPrincipal } from './authn-metadata.ts';
import { namespaceIds, negatedIdentity, principalIds, serviceAccountIds } from './identity-matchers.ts';
import { andIds, anyPrincipal, notId, orIds } from './rbac-combinators.ts';
import { ipIds, type RuleEnv } from './rule-env.ts';
import { valueMatcher } from './value-matchers.ts';

function present(values: readonly string[] | undefined): values is readonly string[] {
  return values !== undefined && values.length > 0;
}

export function requestPrincipalIds(values: readonly string[]): Principal[] {
  return values.map((v) => authnPrincipal([AUTHN_PRINCIPAL_KEY], valueMatcher(v), 'string'));
}

export function sourcePrincipal(source: Source, env: RuleEnv): Principal {
  const { trustDomains, policyNamespace } = env;
  const ids: Principal[] = [];
  const positive = (values: readonly string[] | undefined, build: (v: readonly string[]) => Principal[]) => {
    if (present(values)) ids.push(orIds(build(values)));
  };
  const negative = (values: readonly string[] | undefined, build: (v: readonly string[]) => Principal[]) => {
    if (present(values)) ids.push(notId(orIds(build(values))));
  };
  const negativeIdentity = (
    values: readonly string[] | undefined,
    build: (v: readonly string[]) => Principal[],
  ) => {
    if (present(values)) ids.push(negatedIdentity(build(values), env.missingIdentity ?? 'no-match'));
  };
  const principals = (v: readonly string[]) => principalIds(v, trustDomains);
  const accounts = (v: readonly string[]) => serviceAccountIds(v, policyNamespace, trustDomains);

  positive(source.principals, principals);
  negativeIdentity(source.notPrincipals, principals);
  positive(source.requestPrincipals, requestPrincipalIds);
  negative(source.notRequestPrincipals, requestPrincipalIds);
  positive(source.namespaces, namespaceIds);
  negativeIdentity(source.notNamespaces, namespaceIds);
  positive(source.serviceAccounts, accounts);
  negativeIdentity(source.notServiceAccounts, accounts);
  positive(source.ipBlocks, (v) => ipIds(v, 'directRemoteIp', env));
  negative(source.notIpBlocks, (v) => ipIds(v, 'directRemoteIp', env));
  positive(source.remoteIpBlocks, (v) => ipIds(v, 'remoteIp', env));
  negative(source.notRemoteIpBlocks, (v) => ipIds(v, 'remoteIp', env));
  return ids.length === 0 ? anyPrincipal() : andIds(ids);
}

/** Source fields only an HTTP request has (a JWT); on TCP they cannot be checked. */
export function sourceNeedsHttp(source: Source): boolean {
  return present(source.requestPrincipals) || present(source.notRequestPrincipals);
}
