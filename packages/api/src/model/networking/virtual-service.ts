// The VirtualService spec: ordered HTTP, TLS and TCP routing rules for a set of hosts.
import type { Labels } from '../common.ts';
import type { NetworkingApiVersion, Resource } from '../resource.ts';

export type VirtualService = Resource<'VirtualService', VirtualServiceSpec, NetworkingApiVersion>;

export interface VirtualServiceSpec {
  /**
   * Hosts the rules apply to: DNS names (`*` prefix wildcards allowed), IPs, or short names that resolve in
   * the VirtualService's own namespace. Empty for a delegate VirtualService.
   */
  readonly hosts?: readonly string[];
  /**
   * `namespace/name` of the Gateways (and the reserved word `mesh`, all sidecars) that apply these rules.
   * Unset: `mesh` only; list `mesh` explicitly to apply to both gateways and sidecars.
   */
  readonly gateways?: readonly string[];
  /** Evaluated in order; the first rule whose match succeeds handles the request. */
  readonly http?: readonly HTTPRoute[];
  /** For non-terminated TLS and HTTPS traffic, routed by SNI. */
  readonly tls?: readonly TLSRoute[];
  /** For opaque TCP traffic. */
  readonly tcp?: readonly TCPRoute[];
  /** Namespaces that see this resource: `*` all (the default, unless meshConfig says otherwise), `.` its own. */
  readonly exportTo?: readonly string[];
}

/**
 * One HTTP rule: match conditions and an action. The action is exactly one of `route` (forward), `redirect`,
 * `directResponse` or `delegate`.
 */
export interface HTTPRoute {
  /** Used in stats and access logs; route names become `<route>.<match>` when matches are named too. */
  readonly name?: string;
  /** ORed; the conditions inside one match are ANDed. Unset or empty: matches every request. */
  readonly match?: readonly HTTPMatchRequest[];
  readonly route?: readonly HTTPRouteDestination[];
  readonly redirect?: HTTPRedirect;
  readonly directResponse?: HTTPDirectResponse;
  /** Hands the rule body to another VirtualService; only in a root VirtualService with `route`/`redirect` unset. */
  readonly delegate?: Delegate;
  /** Applied before forwarding; not with `redirect`. */
  readonly rewrite?: HTTPRewrite;
  /** Whole-request timeout (duration). Unset: no route timeout (Istio disables Envoy's 15s default). */
  readonly timeout?: string;
  /**
   * Unset: meshConfig's default retry policy, which is 2 attempts with retryOn
   * `connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes`.
   */
  readonly retries?: HTTPRetry;
  /** Client-side fault injection; while set, retries and timeouts of this route are not enabled by Istio. */
  readonly fault?: HTTPFaultInjection;
  /** Shadow traffic to this destination; the mirrored request's Host gets a `-shadow` suffix. */
  readonly mirror?: Destination;
  /** @deprecated Integer percentage; use `mirrorPercentage`. */
  readonly mirrorPercent?: number;
  /** @deprecated snake_case spelling of `mirrorPercent` the CRD still accepts; use `mirrorPercentage`. */
  readonly mirror_percent?: number;
  /** Share of traffic sent to `mirror`. Unset: 100%. */
  readonly mirrorPercentage?: Percent;
  /** Several mirror destinations, each with its own percentage; not together with `mirror`. */
  readonly mirrors?: readonly HTTPMirrorPolicy[];
  readonly corsPolicy?: CorsPolicy;
  /** Header edits for every destination of this rule. */
  readonly headers?: Headers;
}

/**
 * String matcher; exactly one of the fields is set. `regex` is RE2 and must match the whole value.
 * In `headers`, an empty object checks that the header is present.
 */
export interface StringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

/** Conditions on one request; every field set must match. */
export interface HTTPMatchRequest {
  /** Appended to the route name in stats and logs. */
  readonly name?: string;
  /** Path (without the query string). */
  readonly uri?: StringMatch;
  readonly scheme?: StringMatch;
  readonly method?: StringMatch;
  /** The Host/`:authority` header. */
  readonly authority?: StringMatch;
  /** Keyed by lowercase header name. */
  readonly headers?: Readonly<Record<string, StringMatch>>;
  /** Destination port; needed when the hosts listen on several ports and rules differ per port. */
  readonly port?: number;
  /** Labels of the calling workload; only evaluated by sidecars, ignored on gateways. */
  readonly sourceLabels?: Labels;
  /** Overrides the VirtualService's `gateways` for this match. */
  readonly gateways?: readonly string[];
  /** Query parameters; only `exact` and `regex` are honoured. */
  readonly queryParams?: Readonly<Record<string, StringMatch>>;
  /** Case-insensitive `uri` matching (`exact` and `prefix` only). Default false. */
  readonly ignoreUriCase?: boolean;
  /** The request must NOT carry headers matching these. */
  readonly withoutHeaders?: Readonly<Record<string, StringMatch>>;
  /** Namespace of the calling workload; sidecars only. */
  readonly sourceNamespace?: string;
  /** When set, the route emits Envoy stats under `route.<statPrefix>`. */
  readonly statPrefix?: string;
}

/** A weighted destination of an HTTP rule. */
export interface HTTPRouteDestination {
  readonly destination: Destination;
  /**
   * Relative share of traffic. A single destination gets everything; with several, unset counts as 0 and
   * the weights should add up to 100.
   */
  readonly weight?: number;
  /** Header edits applied only when this destination is picked. */
  readonly headers?: Headers;
}

/** A service (and optionally a subset and port) in the registry. */
export interface Destination {
  /**
   * Service host from the registry (Kubernetes Service, ServiceEntry). Short names resolve in the
   * VirtualService's namespace, not the destination's; prefer fully qualified names.
   */
  readonly host: string;
  /** A subset defined in a DestinationRule for this host. */
  readonly subset?: string;
  /** Required when the service exposes more than one port. */
  readonly port?: PortSelector;
}

export interface PortSelector {
  readonly number?: number;
}

/** Retry policy of an HTTP rule. */
export interface HTTPRetry {
  /** Retries allowed (not counting the first try); 0 disables retries. Mesh default: 2. */
  readonly attempts?: number;
  /** Timeout per try, including the first (duration). Unset: only the route `timeout` bounds the tries. */
  readonly perTryTimeout?: string;
  /**
   * Comma-separated Envoy retry conditions (`5xx`, `gateway-error`, `reset`, `connect-failure`,
   * `refused-stream`, `retriable-4xx`, gRPC ones like `unavailable`, `cancelled`) and bare status codes
   * (`503`), which become retriable status codes. Mesh default:
   * `connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes`.
   */
  readonly retryOn?: string;
  /** Whether retries may go to other localities. Default false. */
  readonly retryRemoteLocalities?: boolean;
  /** Whether retries avoid hosts already tried. Default true. */
  readonly retryIgnorePreviousHosts?: boolean;
  /** Base interval of the exponential back-off between retries (duration). Unset: Envoy's 25ms. */
  readonly backoff?: string;
}

/** Client-side fault injection: delay and/or abort a share of requests. */
export interface HTTPFaultInjection {
  readonly delay?: HTTPFaultInjectionDelay;
  readonly abort?: HTTPFaultInjectionAbort;
}

export interface HTTPFaultInjectionDelay {
  /** Delay before forwarding (duration, ≥ 1ms). */
  readonly fixedDelay?: string;
  /** Accepted by the CRD but not implemented by Istio. */
  readonly exponentialDelay?: string;
  /** Share of requests delayed. Unset (and no `percent`): no request is delayed. */
  readonly percentage?: Percent;
  /** @deprecated Integer 0–100; use `percentage`. */
  readonly percent?: number;
}

/** Exactly one of `httpStatus`, `grpcStatus`, `http2Error`. */
export interface HTTPFaultInjectionAbort {
  readonly httpStatus?: number;
  /** gRPC status name, e.g. `UNAVAILABLE`. */
  readonly grpcStatus?: string;
  /** Accepted by the CRD but not implemented by Istio. */
  readonly http2Error?: string;
  /** Share of requests aborted. Unset: no request is aborted. */
  readonly percentage?: Percent;
}

/** A redirect response instead of forwarding. */
export interface HTTPRedirect {
  /** Replaces the whole path. */
  readonly uri?: string;
  /** Replaces the Host/authority. */
  readonly authority?: string;
  readonly port?: number;
  /** Port from the scheme (80/443) or from the request; exclusive with `port`. */
  readonly derivePort?: RedirectPortSelection;
  /** Replaces the scheme; unset keeps the request's. */
  readonly scheme?: string;
  /** Status code of the redirect. Default 301. */
  readonly redirectCode?: number;
}

export type RedirectPortSelection = 'FROM_PROTOCOL_DEFAULT' | 'FROM_REQUEST_PORT';

/** A fixed response instead of forwarding. */
export interface HTTPDirectResponse {
  readonly status: number;
  readonly body?: HTTPBody;
}

/** Exactly one of `string` and `bytes` (base64). */
export interface HTTPBody {
  readonly string?: string;
  readonly bytes?: string;
}

/** Rewrites applied before forwarding. */
export interface HTTPRewrite {
  /**
   * Replaces the part of the path that the match selected: the prefix for a `prefix` match, the whole path
   * otherwise. Exclusive with `uriRegexRewrite`.
   */
  readonly uri?: string;
  readonly uriRegexRewrite?: RegexRewrite;
  /** Replaces the Host/authority header. */
  readonly authority?: string;
}

/** Regex-based path rewrite; `rewrite` may reference capture groups as `\1`. */
export interface RegexRewrite {
  /** RE2 regex over the path. */
  readonly match?: string;
  readonly rewrite?: string;
}

export interface HTTPMirrorPolicy {
  readonly destination: Destination;
  /** Unset: 100%. */
  readonly percentage?: Percent;
}

/** CORS handling, answered by the proxy. */
export interface CorsPolicy {
  readonly allowOrigins?: readonly StringMatch[];
  /** @deprecated Exact origins; use `allowOrigins`. */
  readonly allowOrigin?: readonly string[];
  /** Serialized into `Access-Control-Allow-Methods`. */
  readonly allowMethods?: readonly string[];
  readonly allowHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  /** How long preflight results may be cached (duration). */
  readonly maxAge?: string;
  readonly allowCredentials?: boolean;
  /** Preflights whose origin does not match: `FORWARD` them upstream (the default) or `IGNORE` them. */
  readonly unmatchedPreflights?: UnmatchedPreflights;
}

/** `UNSPECIFIED` behaves as `FORWARD`. */
export type UnmatchedPreflights = 'UNSPECIFIED' | 'FORWARD' | 'IGNORE';

/** Header edits on the request (before forwarding) and on the response (before returning it). */
export interface Headers {
  readonly request?: HeaderOperations;
  readonly response?: HeaderOperations;
}

export interface HeaderOperations {
  /** Overwrite (or add) these headers. */
  readonly set?: Readonly<Record<string, string>>;
  /** Append these values. */
  readonly add?: Readonly<Record<string, string>>;
  /** Remove these headers. */
  readonly remove?: readonly string[];
}

/** A percentage 0.0–100.0. */
export interface Percent {
  readonly value?: number;
}

/** The VirtualService a delegating rule hands over to; its rules are merged under the delegating match. */
export interface Delegate {
  readonly name?: string;
  /** Unset: the delegating VirtualService's namespace. */
  readonly namespace?: string;
}

/** A TCP rule; the first whose match succeeds handles the connection. */
export interface TCPRoute {
  /** ORed; unset matches every connection. */
  readonly match?: readonly L4MatchAttributes[];
  readonly route?: readonly RouteDestination[];
}

/** A TLS (SNI-routed, not terminated) rule. */
export interface TLSRoute {
  readonly match: readonly TLSMatchAttributes[];
  readonly route?: readonly RouteDestination[];
}

/** A weighted destination of a TCP or TLS rule. */
export interface RouteDestination {
  readonly destination: Destination;
  /** Relative share; see `HTTPRouteDestination.weight`. */
  readonly weight?: number;
}

/** Connection-level conditions; every field set must match. */
export interface L4MatchAttributes {
  /** Destination IPs or CIDRs. */
  readonly destinationSubnets?: readonly string[];
  readonly port?: number;
  /** Source IP or CIDR. */
  readonly sourceSubnet?: string;
  /** Labels of the calling workload; sidecars only. */
  readonly sourceLabels?: Labels;
  readonly gateways?: readonly string[];
  readonly sourceNamespace?: string;
}

/** TLS connection conditions; every field set must match. */
export interface TLSMatchAttributes {
  /** SNI values (wildcards allowed); each must fall within the VirtualService's hosts. */
  readonly sniHosts: readonly string[];
  readonly destinationSubnets?: readonly string[];
  readonly port?: number;
  readonly sourceLabels?: Labels;
  readonly gateways?: readonly string[];
  readonly sourceNamespace?: string;
}
