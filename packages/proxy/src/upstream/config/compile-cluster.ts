// One CDS Cluster → CompiledCluster, or a ClusterConfigError naming the cluster and the field the proxy
// cannot honour (the whole CDS update is then NACKed).
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { compileCircuitBreakers } from './circuit-breaker-config.ts';
import type { CompiledCluster } from './compiled-cluster.ts';
import { ClusterConfigError } from './config-error.ts';
import { compileDiscovery } from './discovery-config.ts';
import { durationMs } from './duration.ts';
import { compileHttpProtocol } from './http-protocol-config.ts';
import { compileLbConfig } from './lb-config.ts';
import { compileOutlierDetection } from './outlier-config.ts';
import { compileTransport } from './transport-config.ts';

/** Envoy's connect_timeout default. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

export function compileCluster(cluster: Cluster): CompiledCluster {
  const where = `cluster '${cluster.name}'`;
  if (cluster.name === '') throw new ClusterConfigError('cluster: name: required');
  rejectUnsupported(cluster, where);
  const lb = compileLbConfig(cluster, where);
  const connectTimeoutMs = durationMs(cluster.connectTimeout, DEFAULT_CONNECT_TIMEOUT_MS);
  if (connectTimeoutMs <= 0)
    throw new ClusterConfigError(`${where}: connect_timeout: must be greater than 0`);
  const keepalive = cluster.upstreamConnectionOptions?.tcpKeepalive;
  const outlier = compileOutlierDetection(cluster.outlierDetection, where);
  return {
    name: cluster.name,
    statName: cluster.altStatName || cluster.name,
    source: cluster,
    discovery: compileDiscovery(cluster, lb, where),
    lb,
    circuitBreakers: compileCircuitBreakers(cluster.circuitBreakers, where),
    ...(outlier ? { outlier } : {}),
    connectTimeoutMs,
    http: compileHttpProtocol(cluster, where),
    transport: compileTransport(cluster, where),
    ...(keepalive
      ? {
          tcpKeepalive:
            keepalive.keepaliveTime !== undefined ? { timeMs: keepalive.keepaliveTime * 1000 } : {},
        }
      : {}),
  };
}

function rejectUnsupported(cluster: Cluster, where: string): void {
  const checks: [boolean, string][] = [
    [cluster.healthChecks.length > 0, 'health_checks: active health checking is not supported'],
    [cluster.filters.length > 0, 'filters: upstream network filters are not supported'],
    [cluster.upstreamConfig !== undefined, 'upstream_config: custom upstreams are not supported'],
    [cluster.upstreamBindConfig !== undefined, 'upstream_bind_config: not supported'],
    [cluster.lrsServer !== undefined, 'lrs_server: load reporting is not supported'],
    [
      cluster.connectionPoolPerDownstreamConnection,
      'connection_pool_per_downstream_connection: not supported',
    ],
  ];
  for (const [unsupported, message] of checks) {
    if (unsupported) throw new ClusterConfigError(`${where}: ${message}`);
  }
}
