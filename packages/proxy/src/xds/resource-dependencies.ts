// What accepted CDS and LDS resources need next: the EDS service names of EDS clusters and the RDS route
// configuration names of HTTP connection managers, which become the EDS and RDS subscriptions.
import {
  HTTP_CONNECTION_MANAGER_TYPE_URL,
  HttpConnectionManagerSchema,
  unpackAnyAs,
  type Cluster,
  type FilterChain,
  type Listener,
} from '@heddle/xds';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';

/** `eds_cluster_config.service_name`, or the cluster's name when that is empty (Envoy's rule). */
export function edsServiceNames(clusters: Iterable<Cluster>): string[] {
  const names = new Set<string>();
  for (const cluster of clusters) {
    const discovery = cluster.clusterDiscoveryType;
    if (discovery.case !== 'type' || discovery.value !== Cluster_DiscoveryType.EDS) continue;
    const serviceName = cluster.edsClusterConfig?.serviceName ?? '';
    names.add(serviceName !== '' ? serviceName : cluster.name);
  }
  return [...names].sort();
}

export function routeConfigNames(listeners: Iterable<Listener>): string[] {
  const names = new Set<string>();
  for (const listener of listeners) {
    const chains = listener.defaultFilterChain
      ? [...listener.filterChains, listener.defaultFilterChain]
      : listener.filterChains;
    for (const chain of chains) collectRds(chain, names);
  }
  return [...names].sort();
}

function collectRds(chain: FilterChain, names: Set<string>): void {
  for (const filter of chain.filters) {
    const config = filter.configType;
    if (config.case !== 'typedConfig' || config.value.typeUrl !== HTTP_CONNECTION_MANAGER_TYPE_URL) continue;
    const hcm = unpackAnyAs(config.value, HttpConnectionManagerSchema);
    if (hcm?.routeSpecifier.case === 'rds' && hcm.routeSpecifier.value.routeConfigName !== '')
      names.add(hcm.routeSpecifier.value.routeConfigName);
  }
}
