// One HTTP rule of a VirtualService: which action it takes, and every part of it checked in turn.
import { COMMON_CODES, NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isDns1123Label, isDns1123Subdomain } from '../../common/values.ts';
import {
  checkDurationAt,
  isPresent,
  checkPercentAt,
  isRecord,
  listAt,
  recordAt,
  stringAt,
  type Obj,
} from '../value-checks.ts';
import { checkCors } from './cors.ts';
import { checkDestination, checkRouteDestinations } from './destinations.ts';
import { checkFault } from './fault.ts';
import { checkAuthoritySetOnce, checkHeaderOperations } from './headers.ts';
import { checkHttpMatch } from './match.ts';
import { checkDirectResponse, checkRedirect } from './redirect.ts';
import { checkRetries } from './retries.ts';
import { checkRewrite } from './rewrite.ts';
import type { VirtualServiceScope } from './scope.ts';

function checkDelegate(ctx: RuleContext, scope: VirtualServiceScope, route: Obj, path: FieldPath): void {
  const at = [...path, 'delegate'];
  if (scope.delegate) {
    ctx.error(
      NETWORKING_CODES.VS_DELEGATE_INVALID,
      at,
      'a delegate VirtualService cannot delegate again; only one level of delegation is supported',
    );
  }
  for (const key of ['route', 'redirect', 'directResponse'] as const) {
    if (isPresent(route, key)) {
      ctx.error(
        COMMON_CODES.CONFLICTING_FIELDS,
        [...path, key],
        `a rule with delegate hands its requests to the delegate VirtualService; remove ${key} or delegate`,
      );
    }
  }
  const delegate = recordAt(route, 'delegate') ?? {};
  const name = stringAt(delegate, 'name');
  const namespace = stringAt(delegate, 'namespace');
  if (!name) {
    ctx.error(COMMON_CODES.REQUIRED_FIELD, [...at, 'name'], 'is required: name the delegate VirtualService');
  } else if (!isDns1123Subdomain(name)) {
    ctx.error(COMMON_CODES.NAME_INVALID, [...at, 'name'], `"${name}" is not a valid VirtualService name`);
  }
  if (namespace && !isDns1123Label(namespace)) {
    ctx.error(
      COMMON_CODES.NAME_INVALID,
      [...at, 'namespace'],
      `"${namespace}" is not a valid namespace; use lower-case letters, digits and "-"`,
    );
  }
}

function checkAction(ctx: RuleContext, scope: VirtualServiceScope, route: Obj, path: FieldPath): void {
  if (isPresent(route, 'delegate')) {
    checkDelegate(ctx, scope, route, path);
    return;
  }
  const hasRoute = isPresent(route, 'route');
  const hasRedirect = isPresent(route, 'redirect');
  const hasDirect = isPresent(route, 'directResponse');
  if (hasRedirect && hasRoute) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'redirect'],
      'a rule either forwards (route) or redirects; remove route or redirect',
    );
  }
  if (hasDirect && (hasRoute || hasRedirect)) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'directResponse'],
      `a rule with directResponse answers by itself; remove ${hasRoute ? 'route' : 'redirect'} or directResponse`,
    );
  }
  if (hasRedirect || hasDirect) {
    const action = hasRedirect ? 'redirect' : 'directResponse';
    for (const key of ['fault', 'rewrite'] as const) {
      if (isPresent(route, key)) {
        ctx.error(
          COMMON_CODES.CONFLICTING_FIELDS,
          [...path, key],
          `${key} only applies to forwarded requests and this rule answers with ${action}; remove ${key}`,
        );
      }
    }
  }
  if (!hasRoute && !hasRedirect && !hasDirect) {
    ctx.error(
      NETWORKING_CODES.VS_ROUTE_ACTION_REQUIRED,
      path,
      scope.delegate
        ? 'a rule needs route, redirect or directResponse'
        : 'a rule needs route, redirect, directResponse or delegate',
    );
  }
}

function checkMirrors(ctx: RuleContext, route: Obj, path: FieldPath): void {
  const hasMirror = isPresent(route, 'mirror');
  const hasMirrors = isPresent(route, 'mirrors');
  if (hasMirror && hasMirrors) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'mirrors'],
      'use either mirror or mirrors, not both; mirrors can hold several destinations',
    );
  }
  checkDestination(ctx, route.mirror, [...path, 'mirror']);
  listAt(route, 'mirrors').forEach((mirror, index) => {
    if (!isRecord(mirror)) return;
    const at = [...path, 'mirrors', index];
    checkDestination(ctx, mirror.destination, [...at, 'destination']);
    const percentage = recordAt(mirror, 'percentage');
    if (percentage) checkPercentAt(ctx, percentage, 'value', [...at, 'percentage']);
  });
  const mirrorPercentage = recordAt(route, 'mirrorPercentage');
  if (mirrorPercentage) checkPercentAt(ctx, mirrorPercentage, 'value', [...path, 'mirrorPercentage']);
  checkPercentAt(ctx, route, 'mirrorPercent', path);
  checkPercentAt(ctx, route, 'mirror_percent', path);
  if (mirrorPercentage && !hasMirror) {
    ctx.warn(
      NETWORKING_CODES.VS_MIRROR_PERCENTAGE_IGNORED,
      [...path, 'mirrorPercentage'],
      hasMirrors
        ? 'mirrorPercentage only applies to mirror; give each entry of mirrors its own percentage instead'
        : 'mirrorPercentage has no effect without a mirror; add mirror or remove mirrorPercentage',
    );
  }
}

export function validateHttpRoute(
  ctx: RuleContext,
  scope: VirtualServiceScope,
  route: Obj,
  path: FieldPath,
): void {
  checkAction(ctx, scope, route, path);
  listAt(route, 'match').forEach((match, index) => {
    if (isRecord(match)) checkHttpMatch(ctx, scope, match, [...path, 'match', index]);
  });
  checkRouteDestinations(ctx, listAt(route, 'route'), [...path, 'route'], { http: true });
  checkHeaderOperations(ctx, route.headers, [...path, 'headers']);
  checkAuthoritySetOnce(ctx, route, path);
  checkRedirect(ctx, route.redirect, [...path, 'redirect']);
  checkDirectResponse(ctx, route.directResponse, [...path, 'directResponse']);
  checkRewrite(ctx, route.rewrite, [...path, 'rewrite']);
  checkFault(ctx, route.fault, [...path, 'fault']);
  checkRetries(ctx, route.retries, [...path, 'retries']);
  checkCors(ctx, route.corsPolicy, [...path, 'corsPolicy']);
  checkMirrors(ctx, route, path);
  checkDurationAt(ctx, route, 'timeout', path);
}
