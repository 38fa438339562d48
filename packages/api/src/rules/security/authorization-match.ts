// The value lists of AuthorizationPolicy sources and operations, and the format each field's values take.
import { COMMON_CODES, SECURITY_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkPrincipal } from '../common/principal.ts';
import { isCidr } from '../common/values.ts';
import {
  hasMisplacedWildcard,
  isPathTemplate,
  pathTemplateProblem,
  serviceAccountProblem,
} from './authorization-values.ts';

export const SOURCE_FIELDS = [
  'principals',
  'notPrincipals',
  'requestPrincipals',
  'notRequestPrincipals',
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
  'ipBlocks',
  'notIpBlocks',
  'remoteIpBlocks',
  'notRemoteIpBlocks',
] as const;
export type SourceField = (typeof SOURCE_FIELDS)[number];

export const OPERATION_FIELDS = [
  'hosts',
  'notHosts',
  'ports',
  'notPorts',
  'methods',
  'notMethods',
  'paths',
  'notPaths',
] as const;
export type OperationField = (typeof OPERATION_FIELDS)[number];

/** Walks the string entries of a match list, reporting empty strings and handing the rest to `check`. */
export function eachValue(
  ctx: RuleContext,
  list: unknown,
  path: FieldPath,
  check: (value: string, path: FieldPath) => void,
): void {
  if (!Array.isArray(list)) return;
  list.forEach((value: unknown, index) => {
    if (typeof value !== 'string') return;
    const valuePath = [...path, index];
    if (value === '') {
      ctx.error(SECURITY_CODES.AUTHZ_EMPTY_VALUE, valuePath, 'an empty value matches nothing; remove it');
      return;
    }
    check(value, valuePath);
  });
}

function warnMisplacedWildcard(ctx: RuleContext, value: string, path: FieldPath): void {
  if (!hasMisplacedWildcard(value)) return;
  ctx.warn(
    SECURITY_CODES.AUTHZ_WILDCARD_MISPLACED,
    path,
    `"${value}" has a "*" in the middle, which is matched literally; only a single leading or trailing "*" (or "*" alone) is a wildcard`,
  );
}

function checkIpBlock(ctx: RuleContext, value: string, path: FieldPath): void {
  if (!isCidr(value)) {
    ctx.error(
      COMMON_CODES.IP_INVALID,
      path,
      `"${value}" is not an IP address or CIDR block such as "10.0.0.0/16"`,
    );
  }
}

export function checkSourceValue(ctx: RuleContext, field: SourceField, value: string, path: FieldPath): void {
  switch (field) {
    case 'principals':
    case 'notPrincipals':
      checkPrincipal(ctx, value, path);
      return;
    case 'serviceAccounts':
    case 'notServiceAccounts': {
      const problem = serviceAccountProblem(value);
      if (problem) ctx.error(SECURITY_CODES.AUTHZ_SERVICE_ACCOUNT_INVALID, path, problem);
      return;
    }
    case 'ipBlocks':
    case 'notIpBlocks':
    case 'remoteIpBlocks':
    case 'notRemoteIpBlocks':
      checkIpBlock(ctx, value, path);
      return;
    case 'requestPrincipals':
    case 'notRequestPrincipals':
    case 'namespaces':
    case 'notNamespaces':
      warnMisplacedWildcard(ctx, value, path);
      return;
  }
}

export function checkOperationValue(
  ctx: RuleContext,
  field: OperationField,
  value: string,
  path: FieldPath,
): void {
  switch (field) {
    case 'ports':
    case 'notPorts':
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
        ctx.error(COMMON_CODES.PORT_INVALID, path, `"${value}" is not a port; use a number from 1 to 65535`);
      }
      return;
    case 'paths':
    case 'notPaths': {
      const problem = pathTemplateProblem(value);
      if (problem) {
        ctx.error(SECURITY_CODES.AUTHZ_PATH_TEMPLATE_INVALID, path, problem);
        return;
      }
      if (!value.startsWith('/') && !value.startsWith('*')) {
        ctx.warn(
          SECURITY_CODES.AUTHZ_PATH_NOT_ABSOLUTE,
          path,
          `request paths always start with "/", so "${value}" never matches; write "/${value}"`,
        );
      }
      if (!isPathTemplate(value)) warnMisplacedWildcard(ctx, value, path);
      return;
    }
    case 'methods':
    case 'notMethods':
      if (value !== value.toUpperCase()) {
        ctx.warn(
          SECURITY_CODES.AUTHZ_METHOD_NOT_UPPERCASE,
          path,
          `methods are matched case-sensitively and HTTP methods are upper-case; write "${value.toUpperCase()}"`,
        );
        return;
      }
      warnMisplacedWildcard(ctx, value, path);
      return;
    case 'hosts':
    case 'notHosts':
      warnMisplacedWildcard(ctx, value, path);
      return;
  }
}
