// The `when` conditions of an AuthorizationPolicy rule: supported attribute keys and their values.
import { COMMON_CODES, SECURITY_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkPrincipal } from '../common/principal.ts';
import { closestName, isCidr } from '../common/values.ts';
import { serviceAccountProblem } from './authorization-values.ts';

type ValueKind = 'ip' | 'port' | 'serviceAccount' | 'principal' | 'any';

const PLAIN_KEYS: Readonly<Record<string, ValueKind>> = {
  'source.ip': 'ip',
  'remote.ip': 'ip',
  'source.namespace': 'any',
  'source.serviceAccount': 'serviceAccount',
  'source.principal': 'principal',
  'request.auth.principal': 'any',
  'request.auth.audiences': 'any',
  'request.auth.presenter': 'any',
  'destination.ip': 'ip',
  'destination.port': 'port',
  'connection.sni': 'any',
};

/** Keys written as `name[inner]`, e.g. `request.headers[x-user]`. */
const MAP_KEYS = ['request.headers', 'request.experimental.inline.headers', 'request.auth.claims'];
const EXPERIMENTAL_PREFIX = 'experimental.envoy.filters.';

const REPLACED_KEYS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^destination\.namespace$/,
    'is not supported; a policy applies to its own namespace (metadata.namespace)',
  ],
  [/^destination\.labels\[/, 'is not supported; choose workloads with "selector.matchLabels" instead'],
  [
    /^destination\.(name|user)$/,
    'was removed with the v1alpha1 RBAC API; use "selector" or "principals" instead',
  ],
];

/** Keys a CUSTOM (external authorization) policy cannot use: they depend on identities it does not see. */
export function isIdentityConditionKey(key: string): boolean {
  return (
    key === 'source.namespace' ||
    key === 'source.serviceAccount' ||
    key === 'source.principal' ||
    key.startsWith('request.auth.')
  );
}

function isMapKey(key: string, prefix: string): boolean {
  return key.startsWith(`${prefix}[`) && key.endsWith(']') && key.length > prefix.length + 2;
}

/** How to read the values of `key`, or why the key is not supported. */
function classifyKey(key: string): { kind: ValueKind } | { problem: string } {
  const plain = PLAIN_KEYS[key];
  if (plain) return { kind: plain };
  for (const prefix of MAP_KEYS) {
    if (key.startsWith(prefix + '[')) {
      return isMapKey(key, prefix)
        ? { kind: 'any' }
        : { problem: `"${key}" must name what to read in brackets, e.g. "${prefix}[x-user]"` };
    }
  }
  if (key.startsWith(EXPERIMENTAL_PREFIX)) {
    const open = key.indexOf('[');
    return open > EXPERIMENTAL_PREFIX.length && key.endsWith(']') && open < key.length - 2
      ? { kind: 'any' }
      : { problem: `"${key}" must have the form "experimental.envoy.filters.<filter>[<field>]"` };
  }
  for (const [pattern, reason] of REPLACED_KEYS) {
    if (pattern.test(key)) return { problem: `"${key}" ${reason}` };
  }
  const known = [...Object.keys(PLAIN_KEYS), ...MAP_KEYS.map((prefix) => `${prefix}[...]`)];
  const suggestion = closestName(key, known);
  return {
    problem: suggestion
      ? `"${key}" is not a supported condition; did you mean "${suggestion}"?`
      : `"${key}" is not a supported condition; use one of: ${known.join(', ')}`,
  };
}

function checkValue(ctx: RuleContext, kind: ValueKind, value: string, path: FieldPath): void {
  switch (kind) {
    case 'ip':
      if (!isCidr(value)) {
        ctx.error(
          COMMON_CODES.IP_INVALID,
          path,
          `"${value}" is not an IP address or CIDR block such as "10.0.0.0/16"`,
        );
      }
      return;
    case 'port':
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
        ctx.error(COMMON_CODES.PORT_INVALID, path, `"${value}" is not a port; use a number from 1 to 65535`);
      }
      return;
    case 'serviceAccount': {
      const problem = serviceAccountProblem(value);
      if (problem) ctx.error(SECURITY_CODES.AUTHZ_SERVICE_ACCOUNT_INVALID, path, problem);
      return;
    }
    case 'principal':
      checkPrincipal(ctx, value, path);
      return;
    case 'any':
      return;
  }
}

/** Checks one `when` entry at `path`; returns its key when it is usable, for the callers' rule-level checks. */
export function checkCondition(ctx: RuleContext, condition: unknown, path: FieldPath): string | undefined {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    ctx.error(
      SECURITY_CODES.AUTHZ_EMPTY_MATCH,
      path,
      'a condition must not be empty; give it a key and values',
    );
    return undefined;
  }
  const { key, values, notValues } = condition as Record<string, unknown>;
  if (typeof key !== 'string' || key === '') {
    // A missing key is reported by the schema (required); an empty one is reported here.
    if (key === '')
      ctx.error(
        SECURITY_CODES.AUTHZ_CONDITION_KEY_INVALID,
        [...path, 'key'],
        'the condition key must not be empty; name an attribute such as "request.headers[x-user]"',
      );
    return undefined;
  }
  const listed = (list: unknown): string[] =>
    Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
  if (listed(values).length === 0 && listed(notValues).length === 0) {
    ctx.error(
      SECURITY_CODES.AUTHZ_CONDITION_VALUES_REQUIRED,
      path,
      `the condition on "${key}" has no values; set "values" or "notValues"`,
    );
  }
  const classified = classifyKey(key);
  if ('problem' in classified) {
    ctx.error(SECURITY_CODES.AUTHZ_CONDITION_KEY_INVALID, [...path, 'key'], classified.problem);
    return undefined;
  }
  for (const field of ['values', 'notValues'] as const) {
    const list = field === 'values' ? values : notValues;
    if (!Array.isArray(list)) continue;
    list.forEach((value: unknown, index) => {
      if (typeof value !== 'string') return;
      const valuePath = [...path, field, index];
      if (value === '') {
        ctx.error(SECURITY_CODES.AUTHZ_EMPTY_VALUE, valuePath, 'an empty value matches nothing; remove it');
        return;
      }
      checkValue(ctx, classified.kind, value, valuePath);
    });
  }
  return key;
}
