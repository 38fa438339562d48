// The HCM's `http_filters` compiled in order through the registry: unknown filters fail the config unless
// optional, and the chain must end in exactly one terminal filter (the router). A name may repeat, as Envoy
// allows (Istio names its DENY and ALLOW RBAC filters alike): filters run by position, and filters that share
// a name share the route's `typed_per_filter_config` entry for it.
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { FilterFactoryContext } from '../../filters/http/http-filter.ts';
import { findHttpFilterFactory } from '../../filters/http/registry.ts';
import type { ChainEntry } from './filter-manager.ts';

export function buildFilterChain(
  filters: readonly HttpFilter[],
  context: Omit<FilterFactoryContext, 'filterName'>,
): ChainEntry[] | { readonly error: string } {
  const chain: ChainEntry[] = [];
  for (const [i, filter] of filters.entries()) {
    const where = `http_filters[${i}] ${filter.name}`;
    if (filter.configType.case === 'configDiscovery')
      return { error: `${where}: config_discovery is not supported` };
    const config = filter.configType.case === 'typedConfig' ? filter.configType.value : undefined;
    const factory = findHttpFilterFactory(filter.name, config);
    if (!factory) {
      if (filter.isOptional) continue;
      return { error: `${where}: unknown filter${config ? ` (${config.typeUrl})` : ''}` };
    }
    const compiled = factory.createFilterFactory(config, { ...context, filterName: filter.name });
    if ('error' in compiled) return { error: `${where}: ${compiled.error}` };
    chain.push({ name: filter.name, compiled: compiled.value, disabledByDefault: filter.disabled });
    if (factory.terminal) {
      if (i !== filters.length - 1) return { error: `${where}: terminal filter is not the last filter` };
      return chain;
    }
  }
  return { error: 'http_filters: the chain does not end with a terminal filter (envoy.filters.http.router)' };
}
