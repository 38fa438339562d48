// The EnvoyFilter spec: patches applied to the generated Envoy configuration (listeners, routes, clusters).
import type { PolicyTargetReference, WorkloadSelector } from '../common.ts';
import type { Resource } from '../resource.ts';

export type EnvoyFilter = Resource<'EnvoyFilter', EnvoyFilterSpec, 'networking.istio.io/v1alpha3'>;

export interface EnvoyFilterSpec {
  /** Unset (and no `targetRefs`): every proxy in the namespace, or the whole mesh from the root namespace. */
  readonly workloadSelector?: WorkloadSelector;
  /** Gateway API resources whose proxies get the patches; exclusive with `workloadSelector`. */
  readonly targetRefs?: readonly PolicyTargetReference[];
  /** Applied in order. */
  readonly configPatches?: readonly EnvoyConfigObjectPatch[];
  /**
   * Order among EnvoyFilters of one context: lower first; default 0; ties by creation time. Root-namespace
   * filters apply before the workload namespace's.
   */
  readonly priority?: number;
}

export interface EnvoyConfigObjectPatch {
  /** Which kind of Envoy object the patch targets. */
  readonly applyTo?: EnvoyApplyTo;
  /** Unset: every object of `applyTo`'s kind. */
  readonly match?: EnvoyConfigObjectMatch;
  readonly patch?: EnvoyFilterPatch;
}

/** `INVALID` is the unset value. */
export type EnvoyApplyTo =
  | 'INVALID'
  | 'LISTENER'
  | 'FILTER_CHAIN'
  | 'NETWORK_FILTER'
  | 'HTTP_FILTER'
  | 'ROUTE_CONFIGURATION'
  | 'VIRTUAL_HOST'
  | 'HTTP_ROUTE'
  | 'CLUSTER'
  | 'EXTENSION_CONFIG'
  | 'BOOTSTRAP'
  | 'LISTENER_FILTER';

/** Selects the objects to patch; at most one of `listener`, `routeConfiguration`, `cluster`, `waypoint`. */
export interface EnvoyConfigObjectMatch {
  /** Default ANY. */
  readonly context?: EnvoyPatchContext;
  readonly proxy?: ProxyMatch;
  readonly listener?: ListenerMatch;
  readonly routeConfiguration?: RouteConfigurationMatch;
  readonly cluster?: ClusterMatch;
  readonly waypoint?: WaypointMatch;
}

export type EnvoyPatchContext = 'ANY' | 'SIDECAR_INBOUND' | 'SIDECAR_OUTBOUND' | 'GATEWAY' | 'WAYPOINT';

export interface ProxyMatch {
  /** RE2 regex over the proxy's version (e.g. `^1\\.2[0-9].*`). */
  readonly proxyVersion?: string;
  /** Exact matches on the node metadata the proxy sent. */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface ListenerMatch {
  /** Service or gateway port the listener serves. */
  readonly portNumber?: number;
  readonly portName?: string;
  readonly filterChain?: FilterChainMatch;
  /** Name of a listener filter, e.g. `envoy.filters.listener.tls_inspector`. */
  readonly listenerFilter?: string;
  /** Exact listener name, e.g. `virtualInbound`, `0.0.0.0_8080`. */
  readonly name?: string;
}

export interface FilterChainMatch {
  readonly name?: string;
  readonly sni?: string;
  /** `raw_buffer` or `tls`; inbound only. */
  readonly transportProtocol?: string;
  /** Comma-separated ALPN values, e.g. `h2,http/1.1`; sidecars only. */
  readonly applicationProtocols?: string;
  readonly filter?: FilterMatch;
  readonly destinationPort?: number;
}

export interface FilterMatch {
  /** Filter name, e.g. `envoy.filters.network.http_connection_manager`. */
  readonly name?: string;
  /** An HTTP filter inside the matched network filter, e.g. `envoy.filters.http.router`. */
  readonly subFilter?: SubFilterMatch;
}

export interface SubFilterMatch {
  readonly name?: string;
}

export interface RouteConfigurationMatch {
  readonly portNumber?: number;
  /** Gateway server port name; GATEWAY context only. */
  readonly portName?: string;
  /** `namespace/name` of the Istio Gateway the route configuration was generated for. */
  readonly gateway?: string;
  readonly vhost?: VirtualHostMatch;
  /** Route configuration name, e.g. `80` or `http.8080`. */
  readonly name?: string;
}

export interface VirtualHostMatch {
  /** Generated virtual hosts are named `host:port`. */
  readonly name?: string;
  readonly domainName?: string;
  readonly route?: RouteMatch;
}

export interface RouteMatch {
  /** Route name; generated routes without a name are called `default`. */
  readonly name?: string;
  /** Default ANY. */
  readonly action?: RouteAction;
}

export type RouteAction = 'ANY' | 'ROUTE' | 'REDIRECT' | 'DIRECT_RESPONSE';

export interface ClusterMatch {
  readonly portNumber?: number;
  /** Fully qualified service host. */
  readonly service?: string;
  readonly subset?: string;
  /** Exact cluster name, e.g. `outbound|80|v1|reviews.default.svc.cluster.local`; other fields are ignored. */
  readonly name?: string;
}

/** Ambient waypoint proxies; listed for completeness, Heddle has no waypoints. */
export interface WaypointMatch {
  readonly filter?: WaypointFilterMatch;
  readonly route?: WaypointRouteMatch;
  readonly portNumber?: number;
}

export interface WaypointFilterMatch {
  readonly name?: string;
  readonly subFilter?: SubFilterMatch;
}

export interface WaypointRouteMatch {
  readonly name?: string;
}

export interface EnvoyFilterPatch {
  readonly operation?: EnvoyPatchOperation;
  /** Envoy configuration in JSON/YAML form (a protobuf Struct); its shape depends on `applyTo`. */
  readonly value?: unknown;
  /** Places an HTTP_FILTER relative to Istio's filters; only with ADD. Default UNSPECIFIED. */
  readonly filterClass?: EnvoyFilterClass;
}

/** `INVALID` is the unset value. */
export type EnvoyPatchOperation =
  'INVALID' | 'MERGE' | 'ADD' | 'REMOVE' | 'INSERT_BEFORE' | 'INSERT_AFTER' | 'INSERT_FIRST' | 'REPLACE';

export type EnvoyFilterClass = 'UNSPECIFIED' | 'AUTHN' | 'AUTHZ' | 'STATS';
