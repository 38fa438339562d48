// Facts about Envoy filters that EnvoyFilter patches commonly touch: renamed filter names, and the fields a
// filter's typed config must carry or Envoy rejects the whole listener.

/** Filter names Envoy replaced by their `envoy.filters.*` forms. */
export const RENAMED_FILTERS: Readonly<Record<string, string>> = {
  'envoy.http_connection_manager': 'envoy.filters.network.http_connection_manager',
  'envoy.tcp_proxy': 'envoy.filters.network.tcp_proxy',
  'envoy.router': 'envoy.filters.http.router',
  'envoy.cors': 'envoy.filters.http.cors',
  'envoy.fault': 'envoy.filters.http.fault',
  'envoy.lua': 'envoy.filters.http.lua',
  'envoy.buffer': 'envoy.filters.http.buffer',
  'envoy.grpc_web': 'envoy.filters.http.grpc_web',
  'envoy.health_check': 'envoy.filters.http.health_check',
  'envoy.listener.tls_inspector': 'envoy.filters.listener.tls_inspector',
  'envoy.listener.http_inspector': 'envoy.filters.listener.http_inspector',
  'envoy.listener.original_dst': 'envoy.filters.listener.original_dst',
};

export const HTTP_CONNECTION_MANAGER = 'envoy.filters.network.http_connection_manager';

export interface RequiredField {
  /** Alternatives in snake_case: any one of them satisfies the requirement. */
  readonly anyOf: readonly string[];
  readonly example: string;
}

/** Required top-level fields per typed-config message (full protobuf name, without the type URL prefix). */
export const REQUIRED_FILTER_FIELDS: Readonly<Record<string, readonly RequiredField[]>> = {
  'envoy.extensions.filters.http.compressor.v3.Compressor': [
    {
      anyOf: ['compressor_library'],
      example:
        'compressor_library: {name: text_optimized, typed_config: {"@type": type.googleapis.com/envoy.extensions.compression.gzip.compressor.v3.Gzip}}',
    },
  ],
  'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit': [
    { anyOf: ['stat_prefix'], example: 'stat_prefix: http_local_rate_limiter' },
  ],
  'envoy.extensions.filters.http.ratelimit.v3.RateLimit': [
    { anyOf: ['domain'], example: 'domain: my-domain' },
    {
      anyOf: ['rate_limit_service'],
      example:
        'rate_limit_service: {grpc_service: {envoy_grpc: {cluster_name: outbound|8081||ratelimit.default.svc.cluster.local}}, transport_api_version: V3}',
    },
  ],
  'envoy.extensions.filters.network.local_ratelimit.v3.LocalRateLimit': [
    { anyOf: ['stat_prefix'], example: 'stat_prefix: tcp_local_rate_limiter' },
    { anyOf: ['token_bucket'], example: 'token_bucket: {max_tokens: 100, fill_interval: 1s}' },
  ],
  'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy': [
    { anyOf: ['stat_prefix'], example: 'stat_prefix: tcp' },
    {
      anyOf: ['cluster', 'weighted_clusters'],
      example: 'cluster: outbound|9000||backend.default.svc.cluster.local',
    },
  ],
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager': [
    { anyOf: ['stat_prefix'], example: 'stat_prefix: ingress_http' },
    { anyOf: ['rds', 'route_config', 'scoped_routes'], example: 'route_config: {virtual_hosts: [...]}' },
  ],
};

/** The camelCase spelling of a snake_case proto field, which Envoy's JSON mapping also accepts. */
export function camelCase(field: string): string {
  return field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
