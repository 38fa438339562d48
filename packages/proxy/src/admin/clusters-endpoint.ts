// `/clusters`: Envoy's `cluster::host::field::value` text lines, or `?format=json` as envoy.admin.v3.Clusters.
import { create, type JsonValue, type MessageInitShape } from '@bufbuild/protobuf';
import { ClustersSchema, type HostStatusSchema } from '@heddle/xds/gen/envoy/admin/v3/clusters_pb.ts';
import { SimpleMetric_Type } from '@heddle/xds/gen/envoy/admin/v3/metrics_pb.ts';
import { HealthStatus } from '@heddle/xds/gen/envoy/config/core/v3/health_check_pb.ts';
import { envoyJson } from './envoy-json.ts';
import type { ClusterHostInfo, ClusterInfo } from './admin-sources.ts';
import { jsonReply, textReply, type AdminEndpoint } from './admin-endpoint.ts';

const GAUGES = new Set(['cx_active', 'rq_active']);
const BREAKER_DEFAULTS: Readonly<Record<string, number>> = {
  max_connections: 1024,
  max_pending_requests: 1024,
  max_requests: 1024,
  max_retries: 3,
};

export function clustersEndpoint(describe: () => readonly ClusterInfo[]): AdminEndpoint {
  return {
    path: '/clusters',
    help: 'upstream cluster status (?format=json)',
    methods: ['GET'],
    handle: ({ query }) => {
      const format = query.get('format') ?? 'text';
      const clusters = [...describe()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (format === 'json') return jsonReply(clustersJson(clusters));
      if (format !== 'text') return textReply(`unknown format "${format}" (text, json)`, 400);
      return textReply(clusters.flatMap(clusterLines).join('\n'));
    },
  };
}

export function clusterLines(cluster: ClusterInfo): string[] {
  const name = cluster.name;
  const lines = [`${name}::observability_name::${cluster.observabilityName ?? name}`];
  const breakers = { ...BREAKER_DEFAULTS, ...cluster.circuitBreakers };
  for (const [field, value] of Object.entries(breakers))
    lines.push(`${name}::default_priority::${field}::${value}`);
  lines.push(`${name}::added_via_api::${cluster.addedViaApi ?? true}`);
  if (cluster.edsServiceName) lines.push(`${name}::eds_service_name::${cluster.edsServiceName}`);
  for (const host of cluster.hosts) {
    const prefix = `${name}::${hostKey(host)}`;
    for (const [stat, value] of Object.entries(host.stats ?? {})) lines.push(`${prefix}::${stat}::${value}`);
    lines.push(
      `${prefix}::hostname::${host.hostname ?? ''}`,
      `${prefix}::health_flags::${healthFlags(host)}`,
      `${prefix}::weight::${host.weight ?? 1}`,
      `${prefix}::region::${host.locality?.region ?? ''}`,
      `${prefix}::zone::${host.locality?.zone ?? ''}`,
      `${prefix}::sub_zone::${host.locality?.subZone ?? ''}`,
      `${prefix}::canary::false`,
      `${prefix}::priority::${host.priority ?? 0}`,
      `${prefix}::success_rate::${host.successRate ?? -1}`,
      `${prefix}::local_origin_success_rate::-1`,
    );
  }
  return lines;
}

function hostKey(host: ClusterHostInfo): string {
  return host.address.includes(':') ? `[${host.address}]:${host.port}` : `${host.address}:${host.port}`;
}

function healthFlags(host: ClusterHostInfo): string {
  const flags = host.healthFlags ?? [];
  return flags.length === 0 ? 'healthy' : flags.join('');
}

function clustersJson(clusters: readonly ClusterInfo[]): JsonValue {
  const clusterStatuses = clusters.map((cluster) => ({
    name: cluster.name,
    addedViaApi: cluster.addedViaApi ?? true,
    observabilityName: cluster.observabilityName ?? cluster.name,
    edsServiceName: cluster.edsServiceName ?? '',
    hostStatuses: cluster.hosts.map(hostStatus),
  }));
  return envoyJson(ClustersSchema, create(ClustersSchema, { clusterStatuses }));
}

function hostStatus(host: ClusterHostInfo): MessageInitShape<typeof HostStatusSchema> {
  const flags = new Set(host.healthFlags ?? []);
  return {
    address: {
      address: {
        case: 'socketAddress',
        value: { address: host.address, portSpecifier: { case: 'portValue', value: host.port } },
      },
    },
    stats: Object.entries(host.stats ?? {}).map(([name, value]) => ({
      name,
      value: BigInt(Math.max(0, Math.trunc(value))),
      type: GAUGES.has(name) ? SimpleMetric_Type.GAUGE : SimpleMetric_Type.COUNTER,
    })),
    healthStatus: {
      failedActiveHealthCheck: flags.has('/failed_active_hc'),
      failedOutlierCheck: flags.has('/failed_outlier_check'),
      edsHealthStatus: flags.has('/failed_eds_health')
        ? HealthStatus.UNHEALTHY
        : flags.has('/degraded_eds_health')
          ? HealthStatus.DEGRADED
          : HealthStatus.HEALTHY,
    },
    weight: host.weight ?? 1,
    hostname: host.hostname ?? '',
    priority: host.priority ?? 0,
    ...(host.successRate !== undefined && host.successRate >= 0
      ? { successRate: { value: host.successRate } }
      : {}),
    ...(host.locality ? { locality: host.locality } : {}),
  };
}
