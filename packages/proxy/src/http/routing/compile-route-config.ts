// Compiles a whole RouteConfiguration (virtual hosts, routes, actions, header edits, per-filter configs) once
// per RDS update; any field the proxy cannot honour fails the whole configuration with its location.
import {
  RouteConfigurationSchema,
  type RouteConfiguration,
} from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import {
  RouteSchema,
  VirtualHost_TlsRequirementType as Tls,
  VirtualHostSchema,
  type Route,
  type VirtualHost,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type {
  CompiledAction,
  CompiledRoute,
  CompiledRouteConfig,
  CompiledVirtualHost,
} from './compiled-route.ts';
import { chainMutations, compileHeaderMutation, type HeaderMutation } from './header-mutation.ts';
import { compilePerFilterConfigs, type PerRouteConfigParser } from './per-filter-config.ts';
import {
  compileDirectResponse,
  compileRedirect,
  DEFAULT_MAX_DIRECT_RESPONSE_BODY,
} from './redirect-action.ts';
import { compileMirrors, compileRouteAction } from './route-action.ts';
import { compileRouteMatch } from './route-match.ts';
import type { CompileResult } from './string-matcher.ts';
import { firstUnsupportedField } from './unsupported-fields.ts';
import { compileDomains } from './virtual-host-selector.ts';

const CONFIG_SUPPORTED = new Set([
  'name',
  'virtualHosts',
  'internalOnlyHeaders',
  'responseHeadersToAdd',
  'responseHeadersToRemove',
  'requestHeadersToAdd',
  'requestHeadersToRemove',
  'mostSpecificHeaderMutationsWins',
  'validateClusters',
  'maxDirectResponseBodySizeBytes',
  'requestMirrorPolicies',
  'ignorePortInHostMatching',
  'typedPerFilterConfig',
  'metadata',
]);

const VHOST_SUPPORTED = new Set([
  'name',
  'domains',
  'routes',
  'requireTls',
  'requestHeadersToAdd',
  'requestHeadersToRemove',
  'responseHeadersToAdd',
  'responseHeadersToRemove',
  'typedPerFilterConfig',
  'includeRequestAttemptCount',
  'includeAttemptCountInResponse',
  'retryPolicy',
  'requestMirrorPolicies',
  'metadata',
]);

const ROUTE_SUPPORTED = new Set([
  'name',
  'match',
  // The `action` oneof: route, redirect or direct response.
  'route',
  'redirect',
  'directResponse',
  'metadata',
  'decorator',
  'typedPerFilterConfig',
  'requestHeadersToAdd',
  'requestHeadersToRemove',
  'responseHeadersToAdd',
  'responseHeadersToRemove',
  'statPrefix',
]);

interface Mutations {
  readonly request?: HeaderMutation;
  readonly response?: HeaderMutation;
}

function mutations(
  source: Pick<
    Route,
    'requestHeadersToAdd' | 'requestHeadersToRemove' | 'responseHeadersToAdd' | 'responseHeadersToRemove'
  >,
): CompileResult<Mutations> {
  const request = compileHeaderMutation(source.requestHeadersToAdd, source.requestHeadersToRemove);
  if ('error' in request) return request;
  const response = compileHeaderMutation(source.responseHeadersToAdd, source.responseHeadersToRemove);
  if ('error' in response) return response;
  return {
    value: {
      ...(request.value ? { request: request.value } : {}),
      ...(response.value ? { response: response.value } : {}),
    },
  };
}

interface Context {
  readonly parse: PerRouteConfigParser;
  readonly maxBody: number;
  readonly mostSpecificWins: boolean;
  readonly configMutations: Mutations;
}

function compileAction(route: Route, vhost: VirtualHost, ctx: Context): CompileResult<CompiledAction> {
  const action = route.action;
  switch (action.case) {
    case 'route':
      return compileRouteAction(action.value, vhost.retryPolicy, ctx.parse);
    case 'redirect':
      return compileRedirect(action.value);
    case 'directResponse':
      return compileDirectResponse(action.value, ctx.maxBody);
    case 'filterAction':
      return { error: 'field filter_action is not supported' };
    case 'nonForwardingAction':
      return { error: 'field non_forwarding_action is not supported' };
    case undefined:
      return { error: 'route has no action' };
  }
}

function compileRoute(
  route: Route,
  vhost: VirtualHost,
  compiledVhost: CompiledVirtualHost,
  vhostMutations: Mutations,
  ctx: Context,
): CompileResult<CompiledRoute> {
  const unsupported = firstUnsupportedField(RouteSchema, route, ROUTE_SUPPORTED);
  if (unsupported) return { error: `field ${unsupported} is not supported` };
  const match = compileRouteMatch(route.match);
  if ('error' in match) return match;
  const action = compileAction(route, vhost, ctx);
  if ('error' in action) return action;
  if (
    action.value.kind === 'forward' &&
    action.value.pathRewrite?.kind === 'prefix' &&
    match.value.prefix === undefined
  ) {
    return { error: 'prefix_rewrite needs a prefix, path or path_separated_prefix match' };
  }
  const own = mutations(route);
  if ('error' in own) return own;
  const perFilter = compilePerFilterConfigs(route.typedPerFilterConfig, ctx.parse);
  if ('error' in perFilter) return perFilter;
  const request = chainMutations(
    [own.value.request, vhostMutations.request, ctx.configMutations.request],
    ctx.mostSpecificWins,
  );
  const response = chainMutations(
    [own.value.response, vhostMutations.response, ctx.configMutations.response],
    ctx.mostSpecificWins,
  );
  return {
    value: {
      name: route.name,
      ...(match.value.prefix !== undefined ? { matchedPrefix: match.value.prefix } : {}),
      matches: match.value.matches,
      action: action.value,
      perFilterConfigs: perFilter.value,
      ...(request ? { requestMutation: request } : {}),
      ...(response ? { responseMutation: response } : {}),
      virtualHost: compiledVhost,
    },
  };
}

const TLS: Readonly<Record<number, CompiledVirtualHost['requireTls']>> = {
  [Tls.NONE]: 'none',
  [Tls.EXTERNAL_ONLY]: 'external-only',
  [Tls.ALL]: 'all',
};

function compileVirtualHost(
  vhost: VirtualHost,
  routeConfig: CompiledRouteConfig,
  ctx: Context,
): CompileResult<CompiledVirtualHost> {
  const where = `virtual host ${vhost.name}`;
  const unsupported = firstUnsupportedField(VirtualHostSchema, vhost, VHOST_SUPPORTED);
  if (unsupported) return { error: `${where}: field ${unsupported} is not supported` };
  if (vhost.domains.length === 0) return { error: `${where}: no domains` };
  if (vhost.requestMirrorPolicies.length > 0) {
    return { error: `${where}: field request_mirror_policies is not supported on virtual hosts` };
  }
  const own = mutations(vhost);
  if ('error' in own) return { error: `${where}: ${own.error}` };
  const perFilter = compilePerFilterConfigs(vhost.typedPerFilterConfig, ctx.parse);
  if ('error' in perFilter) return { error: `${where}: ${perFilter.error}` };
  const routes: CompiledRoute[] = [];
  const compiled: CompiledVirtualHost = {
    name: vhost.name,
    routes,
    requireTls: TLS[vhost.requireTls] ?? 'none',
    includeAttemptCount: vhost.includeRequestAttemptCount,
    includeAttemptCountInResponse: vhost.includeAttemptCountInResponse,
    perFilterConfigs: perFilter.value,
    routeConfig,
  };
  for (const [i, route] of vhost.routes.entries()) {
    const result = compileRoute(route, vhost, compiled, own.value, ctx);
    if ('error' in result) return { error: `${where}, route ${route.name || `#${i}`}: ${result.error}` };
    routes.push(result.value);
  }
  return { value: compiled };
}

export function compileRouteConfig(
  config: RouteConfiguration,
  parse: PerRouteConfigParser,
): CompileResult<CompiledRouteConfig> {
  const where = `route configuration ${config.name}`;
  const unsupported = firstUnsupportedField(RouteConfigurationSchema, config, CONFIG_SUPPORTED);
  if (unsupported) return { error: `${where}: field ${unsupported} is not supported` };
  const configMutations = mutations(config);
  if ('error' in configMutations) return { error: `${where}: ${configMutations.error}` };
  const perFilter = compilePerFilterConfigs(config.typedPerFilterConfig, parse);
  if ('error' in perFilter) return { error: `${where}: ${perFilter.error}` };
  const mirrors = compileMirrors(config.requestMirrorPolicies);
  if ('error' in mirrors) return { error: `${where}: ${mirrors.error}` };
  const ctx: Context = {
    parse,
    maxBody: config.maxDirectResponseBodySizeBytes ?? DEFAULT_MAX_DIRECT_RESPONSE_BODY,
    mostSpecificWins: config.mostSpecificHeaderMutationsWins,
    configMutations: configMutations.value,
  };
  const vhosts: CompiledVirtualHost[] = [];
  let select: (authority: string) => CompiledVirtualHost | undefined = () => undefined;
  const compiled: CompiledRouteConfig = {
    name: config.name,
    virtualHost: (authority) => select(authority),
    internalOnlyHeaders: config.internalOnlyHeaders.map((h) => h.toLowerCase()),
    perFilterConfigs: perFilter.value,
    mirrors: mirrors.value,
  };
  for (const vhost of config.virtualHosts) {
    const result = compileVirtualHost(vhost, compiled, ctx);
    if ('error' in result) return { error: `${where}, ${result.error}` };
    vhosts.push(result.value);
  }
  const domains = compileDomains(
    vhosts.flatMap((vh, i) =>
      (config.virtualHosts[i]?.domains ?? []).map((domain) => ({ domain, value: vh })),
    ),
    config.ignorePortInHostMatching,
  );
  if ('error' in domains) return { error: `${where}: ${domains.error}` };
  select = domains.select;
  return { value: compiled };
}
