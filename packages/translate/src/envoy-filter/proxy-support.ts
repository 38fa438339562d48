// The filters Heddle's proxy implements. Envoy accepts any filter it was built with; Heddle's proxy compiles
// only these and NACKs a listener naming another (unless the HTTP filter is marked is_optional), keeping its
// last good configuration. Keep in step with packages/proxy/src/filters/{http,network}/registry.ts.
import type { Any } from '@bufbuild/protobuf/wkt';
import {
  CORS_TYPE_URL,
  EXT_AUTHZ_TYPE_URL,
  FAULT_TYPE_URL,
  HTTP_CONNECTION_MANAGER_TYPE_URL,
  HTTP_RBAC_TYPE_URL,
  JWT_AUTHN_TYPE_URL,
  NETWORK_RBAC_TYPE_URL,
  ROUTER_TYPE_URL,
  TCP_PROXY_TYPE_URL,
  unpackTypedStruct,
} from '@heddle/xds';
import type { Filter } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { STATS_CONFIG_TYPE_URL } from '../telemetry/stats/stats-filter-config.ts';

const PROXY_HTTP_FILTERS = new Set([
  ROUTER_TYPE_URL,
  FAULT_TYPE_URL,
  CORS_TYPE_URL,
  HTTP_RBAC_TYPE_URL,
  JWT_AUTHN_TYPE_URL,
  EXT_AUTHZ_TYPE_URL,
  STATS_CONFIG_TYPE_URL,
]);

const PROXY_NETWORK_FILTERS = new Set([
  HTTP_CONNECTION_MANAGER_TYPE_URL,
  TCP_PROXY_TYPE_URL,
  NETWORK_RBAC_TYPE_URL,
  STATS_CONFIG_TYPE_URL,
]);

/** The type URL the proxy looks the filter up by: a TypedStruct's inner URL. */
function effectiveTypeUrl(config: Any): string {
  return unpackTypedStruct(config)?.typeUrl ?? config.typeUrl;
}

/** The config type of an HTTP filter Heddle's proxy cannot run, or undefined when it can. */
export function unsupportedHttpFilter(filter: HttpFilter): string | undefined {
  if (filter.configType.case !== 'typedConfig') return filter.configType.case ?? 'no typed_config';
  const url = effectiveTypeUrl(filter.configType.value);
  return PROXY_HTTP_FILTERS.has(url) ? undefined : url;
}

export function unsupportedNetworkFilter(filter: Filter): string | undefined {
  if (filter.configType.case !== 'typedConfig') return filter.configType.case ?? 'no typed_config';
  const url = effectiveTypeUrl(filter.configType.value);
  return PROXY_NETWORK_FILTERS.has(url) ? undefined : url;
}
