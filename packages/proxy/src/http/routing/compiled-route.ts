// The compiled form of a RouteConfiguration: what the connection manager, filters and router read per request.
import type { HeaderMap } from '../headers.ts';
import type { HeaderMutation } from './header-mutation.ts';
import type { DynamicMetadata } from './metadata-matcher.ts';
import type { QueryParameters } from './query-parameters.ts';

/** What route matching looks at; the path is the canonical one, without the query. */
export interface RouteMatchInput {
  readonly headers: HeaderMap;
  readonly path: string;
  /** Parsed on first use. */
  query(): QueryParameters;
  readonly random: () => number;
  readonly tls: boolean;
  readonly peerCertificatePresented: boolean;
  readonly dynamicMetadata: DynamicMetadata;
}

/** A filter's per-route config: compiled by the filter's factory, or `disabled` for this route. */
export interface PerFilterConfig {
  readonly config?: unknown;
  readonly disabled: boolean;
}
export type PerFilterConfigs = ReadonlyMap<string, PerFilterConfig>;

export type RetryCondition =
  | '5xx'
  | 'gateway-error'
  | 'reset'
  | 'connect-failure'
  | 'refused-stream'
  | 'retriable-4xx'
  | 'retriable-status-codes'
  | 'cancelled'
  | 'deadline-exceeded'
  | 'internal'
  | 'resource-exhausted'
  | 'unavailable';

export interface CompiledRetryPolicy {
  readonly retryOn: ReadonlySet<RetryCondition>;
  readonly numRetries: number;
  readonly perTryTimeoutMs: number;
  readonly retriableStatusCodes: ReadonlySet<number>;
  readonly avoidPreviousHosts: boolean;
  readonly backOffBaseMs: number;
  readonly backOffMaxMs: number;
}

export interface HashPolicyContext {
  readonly headers: HeaderMap;
  readonly remoteAddress: string;
  query(): QueryParameters;
}
/** Computes the consistent-hash key; may ask for a cookie to be set on the response. */
export type HashKeyFunction = (context: HashPolicyContext) => { key?: string; setCookie?: string };

export interface WeightedClusterEntry {
  readonly name: string;
  /** Cumulative upper bound of this entry's share of the total weight. */
  readonly upTo: number;
  readonly requestMutation?: HeaderMutation;
  readonly responseMutation?: HeaderMutation;
  readonly hostRewrite?: string;
  readonly perFilterConfigs: PerFilterConfigs;
}

export interface MirrorPolicy {
  readonly cluster: string;
  readonly share: number;
  readonly appendShadowSuffix: boolean;
}

export type ClusterChoice =
  | { readonly kind: 'cluster'; readonly name: string }
  | { readonly kind: 'header'; readonly header: string }
  | { readonly kind: 'weighted'; readonly total: number; readonly entries: readonly WeightedClusterEntry[] };

export type PathRewrite =
  | { readonly kind: 'prefix'; readonly replacement: string }
  | { readonly kind: 'regex'; readonly regex: RegExp; readonly substitution: string };

export interface ForwardAction {
  readonly kind: 'forward';
  readonly cluster: ClusterChoice;
  readonly notFoundStatus: number;
  /** 0 disables. */
  readonly timeoutMs: number;
  /** Set when the `grpc-timeout` header may set the timeout; 0 means no cap. */
  readonly grpcTimeoutMaxMs?: number;
  readonly grpcTimeoutOffsetMs: number;
  /** 0 disables. */
  readonly maxStreamDurationMs: number;
  /** Route idle_timeout: replaces the connection manager's stream_idle_timeout for this route; 0 disables. */
  readonly idleTimeoutMs?: number;
  readonly retryPolicy?: CompiledRetryPolicy;
  readonly hashPolicy?: HashKeyFunction;
  readonly mirrors: readonly MirrorPolicy[];
  readonly pathRewrite?: PathRewrite;
  readonly hostRewrite?:
    | { readonly kind: 'literal'; readonly value: string }
    | { readonly kind: 'auto' }
    | { readonly kind: 'header'; readonly header: string };
  readonly appendXForwardedHost: boolean;
  /** Upgrade types explicitly enabled or disabled on this route (lower-case). */
  readonly upgrades: ReadonlyMap<string, boolean>;
}

export interface RedirectAction {
  readonly kind: 'redirect';
  readonly status: number;
  readonly scheme?: string;
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
  readonly prefixRewrite?: string;
  readonly regexRewrite?: { readonly regex: RegExp; readonly substitution: string };
  readonly stripQuery: boolean;
}

export interface DirectResponseAction {
  readonly kind: 'direct-response';
  readonly status: number;
  readonly body?: Uint8Array;
}

export type CompiledAction = ForwardAction | RedirectAction | DirectResponseAction;

export interface CompiledRoute {
  readonly name: string;
  /** The literal prefix (or whole path) the route matches, which `prefix_rewrite` replaces. */
  readonly matchedPrefix?: string;
  matches(input: RouteMatchInput): boolean;
  readonly action: CompiledAction;
  readonly perFilterConfigs: PerFilterConfigs;
  /** Route + virtual host + route configuration edits, in Envoy's order. */
  readonly requestMutation?: HeaderMutation;
  readonly responseMutation?: HeaderMutation;
  readonly virtualHost: CompiledVirtualHost;
}

export interface CompiledVirtualHost {
  readonly name: string;
  readonly routes: readonly CompiledRoute[];
  readonly requireTls: 'none' | 'external-only' | 'all';
  readonly includeAttemptCount: boolean;
  readonly includeAttemptCountInResponse: boolean;
  readonly perFilterConfigs: PerFilterConfigs;
  readonly routeConfig: CompiledRouteConfig;
}

export interface CompiledRouteConfig {
  readonly name: string;
  /** Virtual host for an authority (lower-cased by the caller), Envoy's precedence, port-aware. */
  virtualHost(authority: string): CompiledVirtualHost | undefined;
  readonly internalOnlyHeaders: readonly string[];
  readonly perFilterConfigs: PerFilterConfigs;
  readonly mirrors: readonly MirrorPolicy[];
}

/** The first route of the virtual host that matches, or undefined. */
export function selectRoute(vhost: CompiledVirtualHost, input: RouteMatchInput): CompiledRoute | undefined {
  for (const route of vhost.routes) if (route.matches(input)) return route;
  return undefined;
}

/** The most specific per-filter config for `filterName`: weighted cluster, route, virtual host, configuration. */
export function perFilterConfigFor(
  route: CompiledRoute | undefined,
  filterName: string,
  weighted?: WeightedClusterEntry,
): PerFilterConfig | undefined {
  if (!route) return undefined;
  return (
    weighted?.perFilterConfigs.get(filterName) ??
    route.perFilterConfigs.get(filterName) ??
    route.virtualHost.perFilterConfigs.get(filterName) ??
    route.virtualHost.routeConfig.perFilterConfigs.get(filterName)
  );
}
