// The `when` conditions of a rule: each key becomes a principal (who sends: addresses, identities, JWT
// attributes) or a permission (what is asked: headers, destination, SNI, filter metadata), with `values`
// ORed and `notValues` negated.
import { create } from '@bufbuild/protobuf';
import type { Condition } from '@heddle/api';
import {
  PermissionSchema,
  type Permission,
  type Principal,
} from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import {
  AUTHN_AUDIENCES_KEY,
  AUTHN_CLAIMS_KEY,
  AUTHN_PRESENTER_KEY,
  AUTHN_PRINCIPAL_KEY,
  authnPrincipal,
  metadataMatcher,
} from './authn-metadata.ts';
import { namespaceIds, negatedIdentity, principalIds, serviceAccountIds } from './identity-matchers.ts';
import { headerPermission } from './operation-permission.ts';
import { notId, notRule, orIds, orRules } from './rbac-combinators.ts';
import { destinationIpRules, destinationPortRules, ipIds, type RuleEnv } from './rule-env.ts';
import { valueMatcher } from './value-matchers.ts';

export interface ConditionParts {
  readonly principals: Principal[];
  readonly permissions: Permission[];
}

const EXPERIMENTAL_PREFIX = 'experimental.envoy.filters.';
const HEADER_KEYS = ['request.headers', 'request.experimental.inline.headers'];

/** `prefix[a][b]` → `['a', 'b']`; undefined when `key` is not of that form. */
export function bracketPath(key: string, prefix: string): string[] | undefined {
  if (!key.startsWith(`${prefix}[`)) return undefined;
  const rest = key.slice(prefix.length);
  if (!/^(?:\[[^[\]]+\])+$/.test(rest)) return undefined;
  return [...rest.matchAll(/\[([^[\]]+)\]/g)].map((m) => m[1] ?? '');
}

/** Keys only an HTTP request has. */
export function conditionNeedsHttp(key: string): boolean {
  return key.startsWith('request.');
}

type Side =
  | { readonly side: 'principal'; readonly identity: boolean; build(values: readonly string[]): Principal[] }
  | { readonly side: 'permission'; build(values: readonly string[]): Permission[] };

/** `experimental.envoy.filters.network.mysql_proxy[db.table]`: `[v]` matches a list element. */
function filterMetadataPermission(key: string, value: string): Permission | undefined {
  const open = key.indexOf('[');
  if (open < 0 || !key.endsWith(']')) return undefined;
  const filter = key.slice('experimental.'.length, open);
  const field = key.slice(open + 1, -1);
  const listElement = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : undefined;
  const matcher = metadataMatcher(
    filter,
    [field],
    valueMatcher(listElement ?? value),
    listElement === undefined ? 'string' : 'listElement',
  );
  return create(PermissionSchema, { rule: { case: 'metadata', value: matcher } });
}

function sideOf(key: string, env: RuleEnv): Side | undefined {
  const { trustDomains, policyNamespace } = env;
  switch (key) {
    case 'source.ip':
      return { side: 'principal', identity: false, build: (v) => ipIds(v, 'directRemoteIp', env) };
    case 'remote.ip':
      return { side: 'principal', identity: false, build: (v) => ipIds(v, 'remoteIp', env) };
    case 'source.namespace':
      return { side: 'principal', identity: true, build: namespaceIds };
    case 'source.principal':
      return { side: 'principal', identity: true, build: (v) => principalIds(v, trustDomains) };
    case 'source.serviceAccount':
      return {
        side: 'principal',
        identity: true,
        build: (v) => serviceAccountIds(v, policyNamespace, trustDomains),
      };
    case 'request.auth.principal':
      return {
        side: 'principal',
        identity: false,
        build: (v) => v.map((x) => authnPrincipal([AUTHN_PRINCIPAL_KEY], valueMatcher(x), 'string')),
      };
    case 'request.auth.audiences':
      return {
        side: 'principal',
        identity: false,
        build: (v) => v.map((x) => authnPrincipal([AUTHN_AUDIENCES_KEY], valueMatcher(x), 'listOrString')),
      };
    case 'request.auth.presenter':
      return {
        side: 'principal',
        identity: false,
        build: (v) => v.map((x) => authnPrincipal([AUTHN_PRESENTER_KEY], valueMatcher(x), 'string')),
      };
    case 'destination.ip':
      return { side: 'permission', build: (v) => destinationIpRules(v, env) };
    case 'destination.port':
      return { side: 'permission', build: (v) => destinationPortRules(v, env) };
    case 'connection.sni':
      return {
        side: 'permission',
        build: (v) =>
          v.map((x) =>
            create(PermissionSchema, { rule: { case: 'requestedServerName', value: valueMatcher(x) } }),
          ),
      };
  }
  const claims = bracketPath(key, AUTHN_CLAIMS_KEY);
  if (claims) {
    return {
      side: 'principal',
      identity: false,
      build: (v) =>
        v.map((x) => authnPrincipal([AUTHN_CLAIMS_KEY, ...claims], valueMatcher(x), 'listOrString')),
    };
  }
  for (const prefix of HEADER_KEYS) {
    const header = bracketPath(key, prefix);
    if (header?.length === 1 && header[0]) {
      const name = header[0].toLowerCase();
      return {
        side: 'permission',
        build: (v) => v.map((x) => headerPermission(name, x === '*' ? 'present' : valueMatcher(x))),
      };
    }
  }
  if (key.startsWith(EXPERIMENTAL_PREFIX)) {
    return {
      side: 'permission',
      build: (v) =>
        v.flatMap((x) => {
          const permission = filterMetadataPermission(key, x);
          if (!permission)
            env.problem(`"${key}" is not of the form experimental.envoy.filters.<filter>[<key>]`);
          return permission ? [permission] : [];
        }),
    };
  }
  return undefined;
}

export function conditionParts(conditions: readonly Condition[], env: RuleEnv): ConditionParts {
  const principals: Principal[] = [];
  const permissions: Permission[] = [];
  for (const condition of conditions) {
    const side = sideOf(condition.key, env);
    if (!side) {
      env.problem(`"${condition.key}" is not a supported condition key`);
      continue;
    }
    const values = condition.values ?? [];
    const notValues = condition.notValues ?? [];
    if (side.side === 'principal') {
      if (values.length > 0) principals.push(orIds(side.build(values)));
      if (notValues.length > 0) {
        const ids = side.build(notValues);
        principals.push(
          side.identity ? negatedIdentity(ids, env.missingIdentity ?? 'no-match') : notId(orIds(ids)),
        );
      }
    } else {
      if (values.length > 0) permissions.push(orRules(side.build(values)));
      if (notValues.length > 0) permissions.push(notRule(orRules(side.build(notValues))));
    }
  }
  return { principals, permissions };
}
