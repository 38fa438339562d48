// Compiles a TcpProxy once per update: the cluster choice (one, or weighted), timeouts, attempts and stats.
import type { TcpProxy } from '@heddle/xds/gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.ts';
import { durationMs } from '../../../listener/duration.ts';
import type { Counter, StatsSink } from '../../../stats/stats-sink.ts';

/** Envoy's default idle_timeout for tcp_proxy. */
export const DEFAULT_TCP_IDLE_TIMEOUT_MS = 60 * 60 * 1000;

export interface TcpProxyStats {
  readonly cxTotal: Counter;
  readonly noRoute: Counter;
  readonly rxBytes: Counter;
  readonly txBytes: Counter;
  readonly pausedReading: Counter;
  readonly resumedReading: Counter;
  readonly idleTimeout: Counter;
  readonly maxDuration: Counter;
  readonly noneHealthy: (cluster: string) => Counter;
}

export interface TcpProxyConfig {
  readonly statPrefix: string;
  /** `random` in [0, 1); a weighted choice when there are several clusters. */
  readonly pickCluster: (random: number) => string;
  readonly clusterNames: readonly string[];
  /** 0: none. */
  readonly idleTimeoutMs: number;
  readonly maxConnectAttempts: number;
  /** 0: none. */
  readonly maxDurationMs: number;
  readonly hashBySourceIp: boolean;
  readonly stats: TcpProxyStats;
}

export function compileTcpProxy(proto: TcpProxy, sink: StatsSink): TcpProxyConfig | { error: string } {
  if (proto.statPrefix === '') return { error: 'stat_prefix: must not be empty' };
  const unsupported = unsupportedField(proto);
  if (unsupported) return { error: `${unsupported}: not supported` };
  const picked = compileClusters(proto);
  if ('error' in picked) return picked;
  const hash = proto.hashPolicy;
  if (hash.length > 1) return { error: 'hash_policy: at most one policy is allowed' };
  if (hash[0] && hash[0].policySpecifier.case !== 'sourceIp')
    return { error: `hash_policy[0]: ${hash[0].policySpecifier.case ?? 'empty'} is not supported` };
  const attempts = proto.maxConnectAttempts ?? 1;
  if (attempts < 1) return { error: 'max_connect_attempts: must be at least 1' };
  const prefix = `tcp.${proto.statPrefix}.`;
  const noneHealthy = new Map(
    picked.names.map((name) => [name, sink.counter(`cluster.${name}.upstream_cx_none_healthy`)]),
  );
  return {
    statPrefix: proto.statPrefix,
    pickCluster: picked.pick,
    clusterNames: picked.names,
    idleTimeoutMs: proto.idleTimeout ? durationMs(proto.idleTimeout) : DEFAULT_TCP_IDLE_TIMEOUT_MS,
    maxConnectAttempts: attempts,
    maxDurationMs: proto.maxDownstreamConnectionDuration
      ? durationMs(proto.maxDownstreamConnectionDuration)
      : 0,
    hashBySourceIp: hash.length === 1,
    stats: {
      cxTotal: sink.counter(`${prefix}downstream_cx_total`),
      noRoute: sink.counter(`${prefix}downstream_cx_no_route`),
      rxBytes: sink.counter(`${prefix}downstream_cx_rx_bytes_total`),
      txBytes: sink.counter(`${prefix}downstream_cx_tx_bytes_total`),
      pausedReading: sink.counter(`${prefix}downstream_flow_control_paused_reading_total`),
      resumedReading: sink.counter(`${prefix}downstream_flow_control_resumed_reading_total`),
      idleTimeout: sink.counter(`${prefix}idle_timeout`),
      maxDuration: sink.counter(`${prefix}max_downstream_connection_duration`),
      noneHealthy: (name) =>
        noneHealthy.get(name) ?? sink.counter(`cluster.${name}.upstream_cx_none_healthy`),
    },
  };
}

/** Fields that change where or how bytes go are refused rather than ignored. */
function unsupportedField(proto: TcpProxy): string | undefined {
  if (proto.tunnelingConfig) return 'tunneling_config';
  if (proto.onDemand) return 'on_demand';
  if (proto.metadataMatch) return 'metadata_match';
  if (proto.downstreamIdleTimeout) return 'downstream_idle_timeout';
  if (proto.upstreamIdleTimeout) return 'upstream_idle_timeout';
  return undefined;
}

function compileClusters(
  proto: TcpProxy,
): { pick: (random: number) => string; names: string[] } | { error: string } {
  const specifier = proto.clusterSpecifier;
  if (specifier.case === 'cluster') {
    const name = specifier.value;
    return name === '' ? { error: 'cluster: must not be empty' } : { pick: () => name, names: [name] };
  }
  if (specifier.case !== 'weightedClusters')
    return { error: 'cluster_specifier: cluster or weighted_clusters is required' };
  const clusters = specifier.value.clusters;
  if (clusters.length === 0) return { error: 'weighted_clusters.clusters: must not be empty' };
  for (const [i, c] of clusters.entries()) {
    if (c.name === '') return { error: `weighted_clusters.clusters[${i}].name: must not be empty` };
    if (c.metadataMatch) return { error: `weighted_clusters.clusters[${i}].metadata_match: not supported` };
  }
  const total = clusters.reduce((sum, c) => sum + c.weight, 0);
  if (total <= 0) return { error: 'weighted_clusters: the weights must add up to more than 0' };
  const bounds: number[] = [];
  let running = 0;
  for (const c of clusters) bounds.push((running += c.weight) / total);
  const names = clusters.map((c) => c.name);
  const last = clusters.findLast((c) => c.weight > 0)?.name as string;
  return {
    pick: (random) => {
      for (let i = 0; i < bounds.length; i++) if (random < (bounds[i] as number)) return names[i] as string;
      return last;
    },
    names: [...new Set(names)],
  };
}
