// Match conditions of VirtualService rules: HTTP request matches and the L4 matches of TCP/TLS rules.
import { COMMON_CODES, NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { checkRe2 } from '../../common/regex.ts';
import { checkLabels } from '../../common/selector.ts';
import { isCidr, isDns1123Label } from '../../common/values.ts';
import { checkPortAt, isRecord, listAt, recordAt, stringAt, type Obj } from '../value-checks.ts';
import { checkGatewayRefs } from './gateway-refs.ts';
import { matchHeaderNameProblem } from './headers.ts';
import type { VirtualServiceScope } from './scope.ts';

const JWT_CLAIM_PREFIX = '@request.auth.claims';
const JWT_CLAIM_DOTTED = /^\.[^.[\]]+(\.[^.[\]]+)*$/;
const JWT_CLAIM_BRACKETED = /^(\[[^[\]]+\])+$/;

/** Reports an RE2 problem of `pattern` at `path`; returns true when one was reported. */
export function reportRegex(ctx: RuleContext, pattern: unknown, path: FieldPath): boolean {
  const problem = checkRe2(pattern);
  if (!problem) return false;
  const message = /^(must|is) /.test(problem)
    ? `the regular expression ${problem}`
    : `the regular expression uses a feature Envoy's RE2 engine lacks: ${problem}`;
  ctx.error(COMMON_CODES.REGEX_INVALID, path, message);
  return true;
}

/** A StringMatch (`exact` | `prefix` | `regex`); `emptyPrefix` says whether `prefix: ""` is meaningful there. */
export function checkStringMatch(
  ctx: RuleContext,
  match: unknown,
  path: FieldPath,
  options: { emptyPrefixAllowed: boolean },
): void {
  if (!isRecord(match)) return;
  if (match.regex !== undefined) reportRegex(ctx, match.regex, [...path, 'regex']);
  if (match.prefix === '' && !options.emptyPrefixAllowed) {
    ctx.error(
      NETWORKING_CODES.VS_STRING_MATCH_EMPTY,
      [...path, 'prefix'],
      'an empty prefix matches everything; give a non-empty prefix or remove this condition',
    );
  }
}

function isJwtClaimKey(name: string): boolean {
  return name.startsWith(JWT_CLAIM_PREFIX);
}

function checkHeaderMatches(
  ctx: RuleContext,
  scope: VirtualServiceScope,
  headers: Obj | undefined,
  path: FieldPath,
): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    const at = [...path, name];
    if (isJwtClaimKey(name)) {
      const claim = name.slice(JWT_CLAIM_PREFIX.length);
      if (!JWT_CLAIM_DOTTED.test(claim) && !JWT_CLAIM_BRACKETED.test(claim)) {
        ctx.error(
          NETWORKING_CODES.VS_JWT_CLAIM_INVALID,
          at,
          `"${name}" does not name a claim; write @request.auth.claims.<claim> (nested: .a.b) or @request.auth.claims[<claim>]`,
        );
      } else if (!scope.appliesToGateway) {
        ctx.error(
          NETWORKING_CODES.VS_JWT_CLAIM_ROUTE_NEEDS_GATEWAY,
          at,
          'routing on JWT claims only works on gateways; bind this VirtualService to a Gateway or match on a header instead',
        );
      }
    } else {
      const problem = matchHeaderNameProblem(name);
      if (problem) ctx.error(COMMON_CODES.HEADER_NAME_INVALID, at, problem);
    }
    if (value === null) {
      ctx.error(
        NETWORKING_CODES.VS_STRING_MATCH_EMPTY,
        at,
        'has no match value; write {} to require that the header is present, or give exact, prefix or regex',
      );
    }
    checkStringMatch(ctx, value, at, { emptyPrefixAllowed: true });
  }
}

function checkSourceNamespace(ctx: RuleContext, match: Obj, path: FieldPath): void {
  const namespace = stringAt(match, 'sourceNamespace');
  if (namespace !== undefined && namespace !== '' && !isDns1123Label(namespace)) {
    ctx.error(
      COMMON_CODES.NAME_INVALID,
      [...path, 'sourceNamespace'],
      `"${namespace}" is not a valid namespace; use lower-case letters, digits and "-"`,
    );
  }
}

/** One entry of an HTTP rule's `match` list. */
export function checkHttpMatch(
  ctx: RuleContext,
  scope: VirtualServiceScope,
  match: Obj,
  path: FieldPath,
): void {
  checkHeaderMatches(ctx, scope, recordAt(match, 'headers'), [...path, 'headers']);
  checkHeaderMatches(ctx, scope, recordAt(match, 'withoutHeaders'), [...path, 'withoutHeaders']);
  // An empty uri prefix is how "everything" is written, so it stays legal there.
  checkStringMatch(ctx, match.uri, [...path, 'uri'], { emptyPrefixAllowed: true });
  for (const key of ['scheme', 'method', 'authority'] as const) {
    checkStringMatch(ctx, match[key], [...path, key], { emptyPrefixAllowed: false });
  }
  for (const [name, value] of Object.entries(recordAt(match, 'queryParams') ?? {})) {
    checkStringMatch(ctx, value, [...path, 'queryParams', name], { emptyPrefixAllowed: false });
  }
  checkPortAt(ctx, match, 'port', path, { allowZero: true });
  checkLabels(ctx, match.sourceLabels, [...path, 'sourceLabels']);
  checkGatewayRefs(ctx, match.gateways, [...path, 'gateways']);
  checkSourceNamespace(ctx, match, path);
}

/** One entry of a TCP or TLS rule's `match` list (SNI hosts are checked by the TLS rule). */
export function checkL4Match(ctx: RuleContext, match: Obj, path: FieldPath): void {
  const source = stringAt(match, 'sourceSubnet');
  if (source !== undefined && source !== '' && !isCidr(source)) {
    ctx.error(
      COMMON_CODES.IP_INVALID,
      [...path, 'sourceSubnet'],
      `"${source}" is not an IP address or CIDR block such as 10.0.0.0/8`,
    );
  }
  listAt(match, 'destinationSubnets').forEach((subnet, index) => {
    if (typeof subnet === 'string' && !isCidr(subnet)) {
      ctx.error(
        COMMON_CODES.IP_INVALID,
        [...path, 'destinationSubnets', index],
        `"${subnet}" is not an IP address or CIDR block such as 10.0.0.0/8`,
      );
    }
  });
  checkPortAt(ctx, match, 'port', path, { allowZero: true });
  checkLabels(ctx, match.sourceLabels, [...path, 'sourceLabels']);
  checkGatewayRefs(ctx, match.gateways, [...path, 'gateways']);
  checkSourceNamespace(ctx, match, path);
}
