// Envoy's well-known filter names, used by the translator to emit filters and by the proxy to find them.

export const HTTP_FILTERS = {
  ROUTER: 'envoy.filters.http.router',
  FAULT: 'envoy.filters.http.fault',
  CORS: 'envoy.filters.http.cors',
  RBAC: 'envoy.filters.http.rbac',
  JWT_AUTHN: 'envoy.filters.http.jwt_authn',
  EXT_AUTHZ: 'envoy.filters.http.ext_authz',
  LOCAL_RATELIMIT: 'envoy.filters.http.local_ratelimit',
  COMPRESSOR: 'envoy.filters.http.compressor',
  WASM: 'envoy.filters.http.wasm',
  GRPC_STATS: 'envoy.filters.http.grpc_stats',
  /** Heddle's Istio-standard metrics filter (the role of Istio's `istio.stats`). */
  ISTIO_STATS: 'istio.stats',
} as const;

export const NETWORK_FILTERS = {
  HTTP_CONNECTION_MANAGER: 'envoy.filters.network.http_connection_manager',
  TCP_PROXY: 'envoy.filters.network.tcp_proxy',
  RBAC: 'envoy.filters.network.rbac',
} as const;

export const LISTENER_FILTERS = {
  TLS_INSPECTOR: 'envoy.filters.listener.tls_inspector',
  HTTP_INSPECTOR: 'envoy.filters.listener.http_inspector',
  ORIGINAL_DST: 'envoy.filters.listener.original_dst',
} as const;

export const TRANSPORT_SOCKETS = {
  TLS: 'envoy.transport_sockets.tls',
  RAW_BUFFER: 'envoy.transport_sockets.raw_buffer',
} as const;
