// TCP and TLS rules of a VirtualService: their L4 matches, SNI hosts and destinations.
import { COMMON_CODES, NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { checkWildcardHost, hostCovers } from '../../common/host.ts';
import { isIP } from '../../common/ip.ts';
import { isRecord, listAt, type Obj } from '../value-checks.ts';
import { checkRouteDestinations } from './destinations.ts';
import { checkL4Match } from './match.ts';
import type { VirtualServiceScope } from './scope.ts';

function checkRoutes(ctx: RuleContext, rule: Obj, path: FieldPath, protocol: 'TCP' | 'TLS'): void {
  const routes = listAt(rule, 'route');
  if (routes.length === 0) {
    ctx.error(
      NETWORKING_CODES.VS_ROUTE_REQUIRED,
      rule.route === undefined ? path : [...path, 'route'],
      `a ${protocol} rule needs at least one route destination`,
    );
  }
  checkRouteDestinations(ctx, routes, [...path, 'route'], { http: false });
}

export function validateTcpRoute(ctx: RuleContext, rule: Obj, path: FieldPath): void {
  listAt(rule, 'match').forEach((match, index) => {
    if (isRecord(match)) checkL4Match(ctx, match, [...path, 'match', index]);
  });
  checkRoutes(ctx, rule, path, 'TCP');
}

function checkSniHost(ctx: RuleContext, scope: VirtualServiceScope, sni: string, path: FieldPath): void {
  if (isIP(sni) !== 0) {
    ctx.warn(
      NETWORKING_CODES.VS_SNI_HOST_IP,
      path,
      `"${sni}" is an IP address, which TLS clients do not send as SNI, so this match will rarely apply; match on a host name`,
    );
    return;
  }
  const problem = checkWildcardHost(sni, { allowIp: false });
  if (problem) {
    ctx.error(COMMON_CODES.HOST_INVALID, path, problem);
    return;
  }
  if (scope.hosts.length > 0 && !scope.hosts.some((host) => hostCovers(host, sni))) {
    ctx.error(
      NETWORKING_CODES.VS_SNI_HOST_NOT_IN_HOSTS,
      path,
      `"${sni}" is not covered by any host of this VirtualService (${scope.hosts.join(', ')}); add it to hosts or correct the SNI host`,
    );
  }
}

export function validateTlsRoute(
  ctx: RuleContext,
  scope: VirtualServiceScope,
  rule: Obj,
  path: FieldPath,
): void {
  const matches = listAt(rule, 'match');
  if (Array.isArray(rule.match) && matches.length === 0) {
    ctx.error(
      NETWORKING_CODES.VS_TLS_MATCH_REQUIRED,
      [...path, 'match'],
      'a TLS rule needs at least one match with sniHosts, since SNI is how TLS traffic is told apart',
    );
  }
  matches.forEach((match, index) => {
    if (!isRecord(match)) return;
    const at = [...path, 'match', index];
    const sniHosts = listAt(match, 'sniHosts');
    if (Array.isArray(match.sniHosts) && sniHosts.length === 0) {
      ctx.error(
        NETWORKING_CODES.VS_TLS_MATCH_REQUIRED,
        [...at, 'sniHosts'],
        'a TLS match needs at least one SNI host, e.g. sniHosts: [login.example.com]',
      );
    }
    sniHosts.forEach((sni, sniIndex) => {
      if (typeof sni === 'string') checkSniHost(ctx, scope, sni, [...at, 'sniHosts', sniIndex]);
    });
    checkL4Match(ctx, match, at);
  });
  checkRoutes(ctx, rule, path, 'TLS');
}
