// Semantic rules for VirtualService (the admission webhook's checks, plus analysis of unreachable rules).
import { COMMON_CODES, NETWORKING_CODES } from '../../findings/codes.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkExportTo } from '../common/export-to.ts';
import { checkWildcardHost, hostCovers } from '../common/host.ts';
import { isRecord, listAt, type Obj } from './value-checks.ts';
import { checkGatewayRefs, MESH_GATEWAY } from './virtual-service/gateway-refs.ts';
import { validateHttpRoute } from './virtual-service/http-route.ts';
import type { VirtualServiceScope } from './virtual-service/scope.ts';
import { validateTcpRoute, validateTlsRoute } from './virtual-service/tcp-tls.ts';
import { checkUnreachableRules } from './virtual-service/unreachable.ts';

function strings(list: readonly unknown[]): string[] {
  return list.filter((item): item is string => typeof item === 'string');
}

function checkDelegateShape(ctx: RuleContext, spec: Obj): void {
  ctx.info(
    NETWORKING_CODES.VS_DELEGATE,
    spec.hosts === undefined ? ['spec'] : ['spec', 'hosts'],
    'no hosts: this is a delegate VirtualService, used only when a root VirtualService delegates to it',
  );
  if (listAt(spec, 'gateways').length > 0) {
    ctx.error(
      NETWORKING_CODES.VS_DELEGATE_INVALID,
      ['spec', 'gateways'],
      'a delegate VirtualService takes its gateways from the root that delegates to it; remove gateways, or add hosts to make this a root',
    );
  }
  for (const key of ['tcp', 'tls'] as const) {
    if (listAt(spec, key).length > 0) {
      ctx.error(
        NETWORKING_CODES.VS_DELEGATE_INVALID,
        ['spec', key],
        `delegation covers HTTP only; move the ${key} rules to a VirtualService with hosts`,
      );
    }
  }
}

/** Checks each host; returns false when any is invalid (overlap checks are then skipped). */
function checkHosts(ctx: RuleContext, scope: VirtualServiceScope, spec: Obj): boolean {
  let allValid = true;
  listAt(spec, 'hosts').forEach((host, index) => {
    if (typeof host !== 'string') return;
    const problem = checkWildcardHost(host);
    if (problem) {
      ctx.error(COMMON_CODES.HOST_INVALID, ['spec', 'hosts', index], problem);
      allValid = false;
    } else if (host === '*' && scope.appliesToMesh) {
      ctx.error(
        NETWORKING_CODES.VS_WILDCARD_MESH_HOST,
        ['spec', 'hosts', index],
        'host "*" would capture all traffic of every sidecar in the mesh; name the hosts, or bind this VirtualService only to Gateways',
      );
      allValid = false;
    }
  });
  return allValid;
}

function checkHostOverlaps(ctx: RuleContext, spec: Obj): void {
  const hosts = listAt(spec, 'hosts');
  hosts.forEach((later, j) => {
    if (typeof later !== 'string') return;
    for (let i = 0; i < j; i++) {
      const earlier = hosts[i];
      if (typeof earlier !== 'string') continue;
      if (earlier === later) {
        ctx.error(
          NETWORKING_CODES.VS_HOSTS_OVERLAP,
          ['spec', 'hosts', j],
          `"${later}" is listed twice; remove one`,
        );
        return;
      }
      if (hostCovers(earlier, later) || hostCovers(later, earlier)) {
        const [broad, narrow] = hostCovers(earlier, later) ? [earlier, later] : [later, earlier];
        ctx.error(
          NETWORKING_CODES.VS_HOSTS_OVERLAP,
          ['spec', 'hosts', j],
          `"${later}" overlaps "${earlier}": "${broad}" already includes "${narrow}"; keep one of them, or split them into separate VirtualServices`,
        );
        return;
      }
    }
  });
}

export const validateVirtualService: KindValidator = (ctx, spec) => {
  const hosts = strings(listAt(spec, 'hosts'));
  const gateways = strings(listAt(spec, 'gateways'));
  const scope: VirtualServiceScope = {
    hosts,
    delegate: listAt(spec, 'hosts').length === 0,
    appliesToMesh: gateways.length === 0 || gateways.includes(MESH_GATEWAY),
    appliesToGateway: gateways.some((gateway) => gateway !== MESH_GATEWAY),
  };
  if (scope.delegate) checkDelegateShape(ctx, spec);
  checkGatewayRefs(ctx, spec.gateways, ['spec', 'gateways']);
  if (checkHosts(ctx, scope, spec)) checkHostOverlaps(ctx, spec);

  const http = listAt(spec, 'http');
  const tcp = listAt(spec, 'tcp');
  const tls = listAt(spec, 'tls');
  if (http.length === 0 && tcp.length === 0 && tls.length === 0) {
    ctx.error(
      NETWORKING_CODES.VS_NO_ROUTES,
      ['spec'],
      'a VirtualService needs at least one http, tcp or tls rule; without one it routes nothing',
    );
  }
  http.forEach((rule, index) => {
    if (isRecord(rule)) validateHttpRoute(ctx, scope, rule, ['spec', 'http', index]);
  });
  tcp.forEach((rule, index) => {
    if (isRecord(rule)) validateTcpRoute(ctx, rule, ['spec', 'tcp', index]);
  });
  tls.forEach((rule, index) => {
    if (isRecord(rule)) validateTlsRoute(ctx, scope, rule, ['spec', 'tls', index]);
  });
  checkExportTo(ctx, spec.exportTo, ['spec', 'exportTo']);
  checkUnreachableRules(ctx, http, ['spec', 'http'], 'http');
  checkUnreachableRules(ctx, tcp, ['spec', 'tcp'], 'tcp');
  checkUnreachableRules(ctx, tls, ['spec', 'tls'], 'tls');
};
