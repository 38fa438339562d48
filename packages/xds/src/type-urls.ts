// The type URLs of xDS resources and of the filter configs Heddle emits, as they appear in Any and DiscoveryRequest.
export const TYPE_URL_PREFIX = 'type.googleapis.com/';
/** Prefix of Heddle-only filter configs, carried inside a TypedStruct. */
export const HEDDLE_TYPE_URL_PREFIX = 'type.heddle.dev/';

// Resources served over ADS.
export const LISTENER_TYPE_URL = 'type.googleapis.com/envoy.config.listener.v3.Listener';
export const ROUTE_CONFIGURATION_TYPE_URL = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration';
export const CLUSTER_TYPE_URL = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
export const CLUSTER_LOAD_ASSIGNMENT_TYPE_URL =
  'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment';
export const SECRET_TYPE_URL = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';

/** The resource types of ADS: CDS, EDS, LDS, RDS in the xDS protocol's make-before-break push order, then SDS. */
export const RESOURCE_TYPE_URLS = [
  CLUSTER_TYPE_URL,
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
] as const;
export type ResourceTypeUrl = (typeof RESOURCE_TYPE_URLS)[number];

// Network and listener filters.
export const HTTP_CONNECTION_MANAGER_TYPE_URL =
  'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
export const TCP_PROXY_TYPE_URL =
  'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy';
export const NETWORK_RBAC_TYPE_URL = 'type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC';
export const TLS_INSPECTOR_TYPE_URL =
  'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector';
export const HTTP_INSPECTOR_TYPE_URL =
  'type.googleapis.com/envoy.extensions.filters.listener.http_inspector.v3.HttpInspector';
export const ORIGINAL_DST_TYPE_URL =
  'type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst';

// HTTP filters.
export const ROUTER_TYPE_URL = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';
export const FAULT_TYPE_URL = 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault';
export const HTTP_RBAC_TYPE_URL = 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC';
export const HTTP_RBAC_PER_ROUTE_TYPE_URL =
  'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute';
export const CORS_TYPE_URL = 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors';
export const CORS_POLICY_TYPE_URL = 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy';
export const JWT_AUTHN_TYPE_URL =
  'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication';
export const EXT_AUTHZ_TYPE_URL = 'type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz';
export const LOCAL_RATE_LIMIT_TYPE_URL =
  'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
export const COMPRESSOR_TYPE_URL =
  'type.googleapis.com/envoy.extensions.filters.http.compressor.v3.Compressor';

// Transport sockets, cluster extensions and protocol options.
export const UPSTREAM_TLS_CONTEXT_TYPE_URL =
  'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';
export const DOWNSTREAM_TLS_CONTEXT_TYPE_URL =
  'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext';
export const AGGREGATE_CLUSTER_TYPE_URL =
  'type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig';
export const HTTP_PROTOCOL_OPTIONS_TYPE_URL =
  'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

// Untyped config wrappers.
export const TYPED_STRUCT_TYPE_URL = 'type.googleapis.com/xds.type.v3.TypedStruct';
export const UDPA_TYPED_STRUCT_TYPE_URL = 'type.googleapis.com/udpa.type.v1.TypedStruct';
