// One AuthorizationPolicy rule: its `from` sources, `to` operations and `when` conditions.
import { COMMON_CODES, SECURITY_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkCondition, isIdentityConditionKey } from './authorization-condition.ts';
import {
  checkOperationValue,
  checkSourceValue,
  eachValue,
  OPERATION_FIELDS,
  SOURCE_FIELDS,
  type SourceField,
} from './authorization-match.ts';

/** Source fields that identify the peer or the request's token, which CUSTOM policies cannot match on. */
const CUSTOM_UNSUPPORTED: ReadonlySet<SourceField> = new Set([
  'principals',
  'notPrincipals',
  'requestPrincipals',
  'notRequestPrincipals',
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
]);

/** Fields that `serviceAccounts` replaces and so cannot be combined with. */
const PEER_IDENTITY_FIELDS: ReadonlySet<SourceField> = new Set([
  'principals',
  'notPrincipals',
  'namespaces',
  'notNamespaces',
]);

/** Source fields that can be evaluated on plain TCP connections (everything but request principals). */
const TCP_SOURCE_FIELDS: ReadonlySet<SourceField> = new Set(
  SOURCE_FIELDS.filter((field) => field !== 'requestPrincipals' && field !== 'notRequestPrincipals'),
);

/** What a rule matches on, for the DENY-over-TCP warning. */
export interface RuleShape {
  readonly hasSource: boolean;
  readonly hasTcpSource: boolean;
  readonly hasOperation: boolean;
  readonly hasPorts: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function nonEmptyList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0;
}

function checkSource(
  ctx: RuleContext,
  source: Record<string, unknown>,
  path: FieldPath,
  custom: boolean,
): boolean {
  const present = SOURCE_FIELDS.filter((field) => nonEmptyList(source[field]));
  if (present.length === 0) {
    ctx.error(
      SECURITY_CODES.AUTHZ_EMPTY_MATCH,
      path,
      'the source sets no field, so it would match nothing; set principals, namespaces, ipBlocks … or remove the entry',
    );
  }
  const accounts = present.find((field) => field === 'serviceAccounts' || field === 'notServiceAccounts');
  const identities = present.filter((field) => PEER_IDENTITY_FIELDS.has(field));
  if (accounts && identities.length > 0) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, accounts],
      `"${accounts}" cannot be combined with ${identities.map((f) => `"${f}"`).join(', ')} in one source; put them in separate "from" entries`,
    );
  }
  for (const field of present) {
    if (custom && CUSTOM_UNSUPPORTED.has(field)) {
      ctx.error(
        SECURITY_CODES.AUTHZ_CUSTOM_UNSUPPORTED_FIELD,
        [...path, field],
        `a CUSTOM policy cannot match on "${field}"; match on ipBlocks, ports, paths, methods, hosts or headers, and let the provider decide on identities`,
      );
    }
    eachValue(ctx, source[field], [...path, field], (value, valuePath) =>
      checkSourceValue(ctx, field, value, valuePath),
    );
  }
  return present.some((field) => TCP_SOURCE_FIELDS.has(field));
}

function checkOperation(ctx: RuleContext, operation: Record<string, unknown>, path: FieldPath): boolean {
  const present = OPERATION_FIELDS.filter((field) => nonEmptyList(operation[field]));
  if (present.length === 0) {
    ctx.error(
      SECURITY_CODES.AUTHZ_EMPTY_MATCH,
      path,
      'the operation sets no field, so it would match nothing; set paths, methods, ports, hosts … or remove the entry',
    );
  }
  for (const field of present) {
    eachValue(ctx, operation[field], [...path, field], (value, valuePath) =>
      checkOperationValue(ctx, field, value, valuePath),
    );
  }
  return present.includes('ports') || present.includes('notPorts');
}

/** Checks a list of `from` or `to` entries, each holding one `source` / `operation`. */
function checkEntries(
  ctx: RuleContext,
  list: unknown,
  path: FieldPath,
  inner: 'source' | 'operation',
  check: (value: Record<string, unknown>, path: FieldPath) => boolean,
): { present: boolean; tcp: boolean } {
  const result = { present: false, tcp: false };
  if (!Array.isArray(list)) return result;
  if (list.length === 0) {
    ctx.error(
      SECURITY_CODES.AUTHZ_EMPTY_MATCH,
      path,
      `an empty list matches nothing; remove "${String(path[path.length - 1])}" to match any ${inner}, or add entries`,
    );
    return result;
  }
  list.forEach((entry: unknown, index) => {
    const entryPath = [...path, index];
    const value = isRecord(entry) ? entry[inner] : undefined;
    if (!isRecord(value)) {
      ctx.error(
        SECURITY_CODES.AUTHZ_EMPTY_MATCH,
        entryPath,
        `each entry needs ${inner === 'operation' ? 'an' : 'a'} "${inner}"; write "- ${inner}: {...}"`,
      );
      return;
    }
    result.present = true;
    if (check(value, [...entryPath, inner])) result.tcp = true;
  });
  return result;
}

/** Checks one rule at `path` and returns what it matches on. */
export function checkRule(
  ctx: RuleContext,
  rule: unknown,
  path: FieldPath,
  custom: boolean,
): RuleShape | undefined {
  if (!isRecord(rule)) {
    ctx.error(
      SECURITY_CODES.AUTHZ_EMPTY_MATCH,
      path,
      'a rule must not be null; write "{}" for a rule that matches every request',
    );
    return undefined;
  }
  const from = checkEntries(ctx, rule.from, [...path, 'from'], 'source', (source, sourcePath) =>
    checkSource(ctx, source, sourcePath, custom),
  );
  const to = checkEntries(ctx, rule.to, [...path, 'to'], 'operation', (operation, operationPath) =>
    checkOperation(ctx, operation, operationPath),
  );
  if (Array.isArray(rule.when)) {
    rule.when.forEach((condition: unknown, index) => {
      const conditionPath = [...path, 'when', index];
      const key = checkCondition(ctx, condition, conditionPath);
      if (custom && key !== undefined && isIdentityConditionKey(key)) {
        ctx.error(
          SECURITY_CODES.AUTHZ_CUSTOM_UNSUPPORTED_FIELD,
          [...conditionPath, 'key'],
          `a CUSTOM policy cannot use the condition "${key}"; let the provider decide on identities`,
        );
      }
    });
  }
  return { hasSource: from.present, hasTcpSource: from.tcp, hasOperation: to.present, hasPorts: to.tcp };
}
