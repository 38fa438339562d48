// One `to.operation` of a rule as an Envoy RBAC permission: hosts, ports, methods and paths ANDed, each
// field's values ORed, `not…` fields negated.
import { create } from '@bufbuild/protobuf';
import type { Operation } from '@heddle/api';
import {
  HeaderMatcherSchema,
  type HeaderMatcher,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { PermissionSchema, type Permission } from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import { StringMatcherSchema, type StringMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/string_pb.ts';
import { andRules, anyPermission, notRule, orRules } from './rbac-combinators.ts';
import { destinationPortRules, type RuleEnv } from './rule-env.ts';
import { caseInsensitiveRegex, escapeRegex, valueForm, valueMatcher } from './value-matchers.ts';

const ONE_SEGMENT = '{*}';
const ANY_SEGMENTS = '{**}';
/**
 * An optional trailing dot and `:port` after the host, so that neither `example.com.` (the same name, fully
 * qualified) nor `example.com:8080` can escape a rule written for `example.com`.
 */
const OPTIONAL_PORT = '\\.?(?::[0-9]+)?';

function regex(text: string): StringMatcher {
  return create(StringMatcherSchema, { matchPattern: { case: 'safeRegex', value: { regex: text } } });
}

export function headerPermission(name: string, matcher: StringMatcher | 'present'): Permission {
  const header: HeaderMatcher = create(HeaderMatcherSchema, {
    name,
    headerMatchSpecifier:
      matcher === 'present' ? { case: 'presentMatch', value: true } : { case: 'stringMatch', value: matcher },
  });
  return create(PermissionSchema, { rule: { case: 'header', value: header } });
}

/** `:authority` compared case-insensitively, with or without a port. */
export function hostPermission(host: string): Permission {
  const form = valueForm(host);
  switch (form.kind) {
    case 'any':
      return headerPermission(':authority', 'present');
    case 'exact':
      return headerPermission(':authority', regex(`${caseInsensitiveRegex(form.value)}${OPTIONAL_PORT}`));
    case 'suffix':
      return headerPermission(':authority', regex(`.*${caseInsensitiveRegex(form.value)}${OPTIONAL_PORT}`));
    case 'prefix':
      return headerPermission(':authority', regex(`${caseInsensitiveRegex(form.value)}.*`));
  }
}

/** `{*}` is one path segment, `{**}` any number of characters up to the end (Istio's path templates). */
function templateRegex(path: string): string {
  return path
    .split(/(\{\*\*\}|\{\*\})/)
    .map((part) => (part === ANY_SEGMENTS ? '.*' : part === ONE_SEGMENT ? '[^/]+' : escapeRegex(part)))
    .join('');
}

/** The normalized path without query, as Envoy's `url_path` sees it. */
export function pathPermission(path: string): Permission {
  const matcher =
    path.includes(ONE_SEGMENT) || path.includes(ANY_SEGMENTS)
      ? regex(templateRegex(path))
      : valueMatcher(path);
  return create(PermissionSchema, {
    rule: { case: 'urlPath', value: { rule: { case: 'path', value: matcher } } },
  });
}

export function methodPermission(method: string): Permission {
  return method === '*'
    ? headerPermission(':method', 'present')
    : headerPermission(':method', valueMatcher(method));
}

function present(values: readonly string[] | undefined): values is readonly string[] {
  return values !== undefined && values.length > 0;
}

export function operationPermission(operation: Operation, env: RuleEnv): Permission {
  const rules: Permission[] = [];
  const field = (
    values: readonly string[] | undefined,
    negate: boolean,
    build: (v: string) => Permission[],
  ) => {
    if (!present(values)) return;
    const any = orRules(values.flatMap(build));
    rules.push(negate ? notRule(any) : any);
  };
  field(operation.hosts, false, (v) => [hostPermission(v)]);
  field(operation.notHosts, true, (v) => [hostPermission(v)]);
  field(operation.ports, false, (v) => destinationPortRules([v], env));
  field(operation.notPorts, true, (v) => destinationPortRules([v], env));
  field(operation.methods, false, (v) => [methodPermission(v)]);
  field(operation.notMethods, true, (v) => [methodPermission(v)]);
  field(operation.paths, false, (v) => [pathPermission(v)]);
  field(operation.notPaths, true, (v) => [pathPermission(v)]);
  return rules.length === 0 ? anyPermission() : andRules(rules);
}

/** Operation fields only an HTTP request has; `ports` is the one that also applies to TCP. */
export function operationNeedsHttp(operation: Operation): boolean {
  return [
    operation.hosts,
    operation.notHosts,
    operation.methods,
    operation.notMethods,
    operation.paths,
    operation.notPaths,
  ].some(present);
}
