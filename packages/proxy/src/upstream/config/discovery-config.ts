// How a cluster finds its hosts: STATIC and DNS clusters from their inline load_assignment, EDS by service
// name, ORIGINAL_DST from each request; anything else is refused.
import {
  Cluster_DiscoveryType,
  Cluster_DnsLookupFamily,
} from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { DiscoveryConfig, DiscoveryKind, LbConfig } from './compiled-cluster.ts';
import { ClusterConfigError } from './config-error.ts';
import { durationMs } from './duration.ts';
import { compileLoadAssignment, DEFAULT_OVERPROVISIONING_FACTOR } from './load-assignment.ts';

const DEFAULT_DNS_REFRESH_MS = 5_000;
const DEFAULT_CLEANUP_INTERVAL_MS = 5_000;
const ORIGINAL_DST_HEADER = 'x-envoy-original-dst-host';

const KINDS: Record<number, DiscoveryKind | undefined> = {
  [Cluster_DiscoveryType.STATIC]: 'STATIC',
  [Cluster_DiscoveryType.STRICT_DNS]: 'STRICT_DNS',
  [Cluster_DiscoveryType.LOGICAL_DNS]: 'LOGICAL_DNS',
  [Cluster_DiscoveryType.EDS]: 'EDS',
  [Cluster_DiscoveryType.ORIGINAL_DST]: 'ORIGINAL_DST',
};

export function compileDiscovery(cluster: Cluster, lb: LbConfig, where: string): DiscoveryConfig {
  const kind = discoveryKind(cluster, where);
  if (kind === 'ORIGINAL_DST') {
    if (lb.policy !== 'CLUSTER_PROVIDED') {
      throw new ClusterConfigError(
        `${where}: lb_policy: only CLUSTER_PROVIDED is allowed with cluster type ORIGINAL_DST`,
      );
    }
  } else if (lb.policy === 'CLUSTER_PROVIDED') {
    throw new ClusterConfigError(
      `${where}: lb_policy: CLUSTER_PROVIDED is only allowed with cluster type ORIGINAL_DST`,
    );
  }
  const base = {
    kind,
    overprovisioningFactor: DEFAULT_OVERPROVISIONING_FACTOR,
    dnsRefreshMs: DEFAULT_DNS_REFRESH_MS,
    dnsFailureRefreshMs: DEFAULT_DNS_REFRESH_MS,
    dnsFamily: 0 as const,
  };
  switch (kind) {
    case 'EDS': {
      const source = cluster.edsClusterConfig?.edsConfig?.configSourceSpecifier.case;
      if (source !== undefined && source !== 'ads' && source !== 'self') {
        throw new ClusterConfigError(
          `${where}: eds_cluster_config.eds_config: only ADS is supported (got ${source})`,
        );
      }
      return { ...base, edsServiceName: cluster.edsClusterConfig?.serviceName || cluster.name };
    }
    case 'STATIC':
      return inline(cluster, base, false, where);
    case 'STRICT_DNS':
    case 'LOGICAL_DNS':
      return { ...inline(cluster, base, true, where), ...dnsSettings(cluster, kind, where) };
    case 'ORIGINAL_DST': {
      if (cluster.loadAssignment && cluster.loadAssignment.endpoints.length > 0) {
        throw new ClusterConfigError(`${where}: load_assignment: not allowed with cluster type ORIGINAL_DST`);
      }
      const config = cluster.lbConfig.case === 'originalDstLbConfig' ? cluster.lbConfig.value : undefined;
      if (config?.metadataKey)
        throw new ClusterConfigError(`${where}: original_dst_lb_config.metadata_key: not supported`);
      if (
        config &&
        config.httpHeaderName !== '' &&
        config.httpHeaderName.toLowerCase() !== ORIGINAL_DST_HEADER
      ) {
        throw new ClusterConfigError(
          `${where}: original_dst_lb_config.http_header_name: only ${ORIGINAL_DST_HEADER} is supported`,
        );
      }
      return {
        ...base,
        originalDst: {
          useHttpHeader: config?.useHttpHeader ?? false,
          ...(config?.upstreamPortOverride !== undefined
            ? { upstreamPortOverride: config.upstreamPortOverride }
            : {}),
          cleanupIntervalMs: durationMs(cluster.cleanupInterval, DEFAULT_CLEANUP_INTERVAL_MS),
        },
      };
    }
  }
}

function discoveryKind(cluster: Cluster, where: string): DiscoveryKind {
  const type = cluster.clusterDiscoveryType;
  if (type.case === 'clusterType') {
    throw new ClusterConfigError(
      `${where}: cluster_type: custom cluster type '${type.value.name}' is not supported`,
    );
  }
  const kind = KINDS[type.value ?? Cluster_DiscoveryType.STATIC];
  if (!kind) throw new ClusterConfigError(`${where}: type: ${type.value} is not supported`);
  return kind;
}

function inline(
  cluster: Cluster,
  base: DiscoveryConfig,
  allowNames: boolean,
  where: string,
): DiscoveryConfig {
  if (!cluster.loadAssignment) return { ...base, endpoints: [] };
  const compiled = compileLoadAssignment(cluster.loadAssignment, `${where}: load_assignment`, allowNames);
  return { ...base, endpoints: compiled.endpoints, overprovisioningFactor: compiled.overprovisioningFactor };
}

function dnsSettings(cluster: Cluster, kind: DiscoveryKind, where: string): Partial<DiscoveryConfig> {
  if (cluster.dnsResolvers.length > 0 || cluster.dnsResolutionConfig || cluster.typedDnsResolverConfig) {
    throw new ClusterConfigError(`${where}: dns_resolvers: custom DNS resolvers are not supported`);
  }
  const endpoints = cluster.loadAssignment?.endpoints ?? [];
  if (kind === 'LOGICAL_DNS' && (endpoints.length !== 1 || endpoints[0]?.lbEndpoints.length !== 1)) {
    throw new ClusterConfigError(
      `${where}: load_assignment: LOGICAL_DNS clusters must have exactly one endpoint`,
    );
  }
  const dnsRefreshMs = durationMs(cluster.dnsRefreshRate, DEFAULT_DNS_REFRESH_MS);
  if (dnsRefreshMs < 1) throw new ClusterConfigError(`${where}: dns_refresh_rate: must be at least 1ms`);
  const family = cluster.dnsLookupFamily;
  return {
    dnsRefreshMs,
    dnsFailureRefreshMs: durationMs(cluster.dnsFailureRefreshRate?.baseInterval, dnsRefreshMs),
    dnsFamily:
      family === Cluster_DnsLookupFamily.V4_ONLY ? 4 : family === Cluster_DnsLookupFamily.V6_ONLY ? 6 : 0,
  };
}
