// The network filters the proxy knows, by the type URL of their typed_config (a TypedStruct's inner URL for
// Heddle-only filters). Other parts register more through ListenerManager's `networkFilters` option.
import {
  HTTP_CONNECTION_MANAGER_TYPE_URL,
  NETWORK_RBAC_TYPE_URL,
  TCP_PROXY_TYPE_URL,
  unpackTypedStruct,
} from '@heddle/xds';
import type { Any } from '@bufbuild/protobuf/wkt';
import { httpConnectionManagerFactory } from './http-connection-manager/index.ts';
import { istioTcpStatsFactory, STATS_CONFIG_TYPE_URL } from './istio-stats/index.ts';
import type { NetworkFilterFactory } from './network-filter.ts';
import { networkRbacFactory } from './rbac/index.ts';
import { tcpProxyFactory } from './tcp-proxy/index.ts';

export const BUILTIN_NETWORK_FILTERS: ReadonlyMap<string, NetworkFilterFactory> = new Map([
  [HTTP_CONNECTION_MANAGER_TYPE_URL, httpConnectionManagerFactory],
  [TCP_PROXY_TYPE_URL, tcpProxyFactory],
  [NETWORK_RBAC_TYPE_URL, networkRbacFactory],
  [STATS_CONFIG_TYPE_URL, istioTcpStatsFactory],
]);

/** The key a filter's config is registered under. */
export function networkFilterTypeUrl(typedConfig: Any): string {
  return unpackTypedStruct(typedConfig)?.typeUrl ?? typedConfig.typeUrl;
}
