// A request simulator over generated route configurations: picks the virtual host and route the way Envoy
// does, so tests can assert where a request goes instead of reading route YAML.
import type { JsonValue } from '@bufbuild/protobuf';
import {
  VirtualHost_TlsRequirementType,
  type HeaderMatcher,
  type Route,
  type RouteMatch,
  type VirtualHost,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import type { MetadataMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/metadata_pb.ts';
import type { StringMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/string_pb.ts';
import type { ValueMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/value_pb.ts';

export interface SimulatedRequest {
  /** Name of the route configuration the listener uses (`9080`, `http_proxy`, `http.80`, …). */
  readonly routeConfig: string;
  /** The Host / `:authority` header, with a port when the client sends one. */
  readonly authority: string;
  /** `:path`, optionally with a query string. */
  readonly path?: string;
  readonly method?: string;
  /** `http` unless given; `https` satisfies `require_tls`. */
  readonly scheme?: string;
  /** Lower-case header names. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Query parameters, in addition to any in `path`. */
  readonly query?: Readonly<Record<string, string>>;
  /** Dynamic metadata by filter name, e.g. `{'envoy.filters.http.jwt_authn': {payload: {...}}}`. */
  readonly metadata?: Readonly<Record<string, JsonValue>>;
}

export interface SimulatedRoute {
  readonly virtualHost?: string;
  /** The route's `name` ('' when unnamed). */
  readonly routeName?: string;
  readonly route?: Route;
  readonly cluster?: string;
  readonly weightedClusters?: readonly { readonly name: string; readonly weight: number }[];
  readonly redirect?: {
    readonly scheme?: string;
    readonly host?: string;
    readonly path?: string;
    readonly port?: number;
    /** The redirect response code enum value (0 = 301). */
    readonly responseCode: number;
  };
  readonly directResponse?: { readonly status: number; readonly body?: string };
  /** No virtual host or route matched: Envoy answers 404 (response flag NR). */
  readonly noRoute?: true;
}

// ---- strings -------------------------------------------------------------------------------------------

/** RE2 patterns match the whole value in Envoy; the patterns in tests are also valid JavaScript. */
function fullMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return new RegExp(`^(?:${pattern})$`, ignoreCase ? 'i' : '').test(value);
}

function matchString(matcher: StringMatcher, raw: string): boolean {
  const ic = matcher.ignoreCase;
  const value = ic ? raw.toLowerCase() : raw;
  const p = matcher.matchPattern;
  switch (p.case) {
    case 'exact':
      return value === (ic ? p.value.toLowerCase() : p.value);
    case 'prefix':
      return value.startsWith(ic ? p.value.toLowerCase() : p.value);
    case 'suffix':
      return value.endsWith(ic ? p.value.toLowerCase() : p.value);
    case 'contains':
      return value.includes(ic ? p.value.toLowerCase() : p.value);
    case 'safeRegex':
      return fullMatch(p.value.regex, raw, ic);
    case 'custom':
    case undefined:
      throw new Error(`simulator: string matcher ${String(p.case)} not supported`);
  }
}

// ---- virtual hosts --------------------------------------------------------------------------------------

/** Envoy's order: exact domain, longest suffix wildcard (`*.x`), longest prefix wildcard (`x.*`), then `*`. */
export function selectVirtualHost(config: RouteConfiguration, authority: string): VirtualHost | undefined {
  let host = authority.toLowerCase();
  if (config.ignorePortInHostMatching) host = host.replace(/:\d+$/, '');
  const candidates = config.virtualHosts.flatMap((vhost) =>
    vhost.domains.map((domain) => ({ vhost, domain: domain.toLowerCase() })),
  );
  const exact = candidates.find((c) => c.domain === host);
  if (exact) return exact.vhost;
  const longest = (list: typeof candidates): VirtualHost | undefined =>
    [...list].sort((a, b) => b.domain.length - a.domain.length)[0]?.vhost;
  const suffix = candidates.filter(
    (c) =>
      c.domain !== '*' &&
      c.domain.startsWith('*') &&
      host.length > c.domain.length - 1 &&
      host.endsWith(c.domain.slice(1)),
  );
  if (suffix.length > 0) return longest(suffix);
  const prefix = candidates.filter(
    (c) =>
      c.domain !== '*' &&
      c.domain.endsWith('*') &&
      host.length > c.domain.length - 1 &&
      host.startsWith(c.domain.slice(0, -1)),
  );
  if (prefix.length > 0) return longest(prefix);
  return candidates.find((c) => c.domain === '*')?.vhost;
}

// ---- route matching -------------------------------------------------------------------------------------

interface RequestView {
  readonly path: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly query: ReadonlyMap<string, string>;
  readonly metadata: Readonly<Record<string, JsonValue>>;
}

function matchPath(match: RouteMatch, path: string): boolean {
  const sensitive = match.caseSensitive ?? true;
  const norm = (s: string): string => (sensitive ? s : s.toLowerCase());
  const p = match.pathSpecifier;
  switch (p.case) {
    case 'prefix':
      return norm(path).startsWith(norm(p.value));
    case 'path':
      return norm(path) === norm(p.value);
    case 'safeRegex':
      return fullMatch(p.value.regex, path, !sensitive);
    case 'pathSeparatedPrefix':
      return norm(path) === norm(p.value) || norm(path).startsWith(`${norm(p.value)}/`);
    case 'connectMatcher':
    case 'pathMatchPolicy':
    case undefined:
      throw new Error(`simulator: path specifier ${String(p.case)} not supported`);
  }
}

function matchHeader(matcher: HeaderMatcher, headers: ReadonlyMap<string, string>): boolean {
  const value = headers.get(matcher.name);
  const spec = matcher.headerMatchSpecifier;
  let matched: boolean;
  if (spec.case === 'presentMatch') matched = (value !== undefined) === spec.value;
  else if (value === undefined) matched = false;
  else {
    switch (spec.case) {
      case 'exactMatch':
        matched = value === spec.value;
        break;
      case 'prefixMatch':
        matched = value.startsWith(spec.value);
        break;
      case 'suffixMatch':
        matched = value.endsWith(spec.value);
        break;
      case 'containsMatch':
        matched = value.includes(spec.value);
        break;
      case 'safeRegexMatch':
        matched = fullMatch(spec.value.regex, value);
        break;
      case 'stringMatch':
        matched = matchString(spec.value, value);
        break;
      case 'rangeMatch':
      case undefined:
        throw new Error(`simulator: header matcher ${String(spec.case)} not supported`);
    }
  }
  return matched !== matcher.invertMatch;
}

function matchValue(matcher: ValueMatcher, value: JsonValue | undefined): boolean {
  const p = matcher.matchPattern;
  switch (p.case) {
    case 'presentMatch':
      return (value !== undefined) === p.value;
    case 'stringMatch':
      return typeof value === 'string' && matchString(p.value, value);
    case 'listMatch': {
      const one = p.value.matchPattern.value;
      return Array.isArray(value) && one !== undefined && value.some((item) => matchValue(one, item));
    }
    case 'orMatch':
      return p.value.valueMatchers.some((m) => matchValue(m, value));
    case 'boolMatch':
    case 'doubleMatch':
    case 'nullMatch':
    case undefined:
      throw new Error(`simulator: value matcher ${String(p.case)} not supported`);
  }
}

function matchMetadata(matcher: MetadataMatcher, metadata: Readonly<Record<string, JsonValue>>): boolean {
  let value: JsonValue | undefined = metadata[matcher.filter];
  for (const segment of matcher.path) {
    const key = segment.segment.value;
    value =
      value && typeof value === 'object' && !Array.isArray(value) && key !== undefined
        ? value[key]
        : undefined;
  }
  const matched = matcher.value ? matchValue(matcher.value, value) : false;
  return matched !== matcher.invert;
}

function matchRoute(match: RouteMatch | undefined, request: RequestView): boolean {
  if (!match) return false;
  if (!matchPath(match, request.path)) return false;
  if (!match.headers.every((h) => matchHeader(h, request.headers))) return false;
  const queryOk = match.queryParameters.every((q) => {
    const value = request.query.get(q.name);
    const spec = q.queryParameterMatchSpecifier;
    if (spec.case === 'presentMatch') return (value !== undefined) === spec.value;
    if (spec.case === 'stringMatch') return value !== undefined && matchString(spec.value, value);
    throw new Error('simulator: query parameter matcher not supported');
  });
  if (!queryOk) return false;
  return match.dynamicMetadata.every((m) => matchMetadata(m, request.metadata));
}

// ---- entry point ----------------------------------------------------------------------------------------

function view(request: SimulatedRequest): RequestView {
  const [path = '/', search = ''] = (request.path ?? '/').split('?', 2);
  const query = new Map<string, string>(new URLSearchParams(search));
  for (const [k, v] of Object.entries(request.query ?? {})) query.set(k, v);
  const headers = new Map<string, string>(
    Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  headers.set(':method', request.method ?? 'GET');
  headers.set(':authority', request.authority);
  headers.set(':scheme', request.scheme ?? 'http');
  headers.set(':path', request.path ?? '/');
  return { path, headers, query, metadata: request.metadata ?? {} };
}

function outcome(vhost: VirtualHost, route: Route): SimulatedRoute {
  const base = { virtualHost: vhost.name, routeName: route.name, route };
  const action = route.action;
  switch (action.case) {
    case 'route': {
      const spec = action.value.clusterSpecifier;
      if (spec.case === 'cluster') return { ...base, cluster: spec.value };
      if (spec.case === 'weightedClusters') {
        return {
          ...base,
          weightedClusters: spec.value.clusters.map((c) => ({ name: c.name, weight: c.weight ?? 0 })),
        };
      }
      throw new Error(`simulator: cluster specifier ${String(spec.case)} not supported`);
    }
    case 'redirect': {
      const r = action.value;
      return {
        ...base,
        redirect: {
          ...(r.schemeRewriteSpecifier.case === 'schemeRedirect'
            ? { scheme: r.schemeRewriteSpecifier.value }
            : {}),
          ...(r.schemeRewriteSpecifier.case === 'httpsRedirect' && r.schemeRewriteSpecifier.value
            ? { scheme: 'https' }
            : {}),
          ...(r.hostRedirect ? { host: r.hostRedirect } : {}),
          ...(r.pathRewriteSpecifier.case === 'pathRedirect' ? { path: r.pathRewriteSpecifier.value } : {}),
          ...(r.portRedirect ? { port: r.portRedirect } : {}),
          responseCode: r.responseCode,
        },
      };
    }
    case 'directResponse': {
      const body = action.value.body?.specifier;
      return {
        ...base,
        directResponse: {
          status: action.value.status,
          ...(body?.case === 'inlineString' ? { body: body.value } : {}),
        },
      };
    }
    case 'filterAction':
    case 'nonForwardingAction':
    case undefined:
      throw new Error(`simulator: route action ${String(action.case)} not supported`);
  }
}

export function simulateRoute(
  configs: readonly RouteConfiguration[],
  request: SimulatedRequest,
): SimulatedRoute {
  const config = configs.find((c) => c.name === request.routeConfig);
  if (!config) throw new Error(`simulator: no route configuration named ${request.routeConfig}`);
  const vhost = selectVirtualHost(config, request.authority);
  if (!vhost) return { noRoute: true };
  // require_tls: ALL answers plain-text requests with a redirect to https before any route is consulted.
  if (vhost.requireTls === VirtualHost_TlsRequirementType.ALL && (request.scheme ?? 'http') !== 'https') {
    return { virtualHost: vhost.name, redirect: { scheme: 'https', responseCode: 0 } };
  }
  const req = view(request);
  const route = vhost.routes.find((r) => matchRoute(r.match, req));
  return route ? outcome(vhost, route) : { virtualHost: vhost.name, noRoute: true };
}
