// Clusters for proxyless gRPC, one per destination (service port × subset) with the sidecar's names: EDS over
// ADS, or LOGICAL_DNS with one host for DNS resolution; STRICT_DNS and ORIGINAL_DST would be NACKed.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { ClusterSchema, type Cluster } from '@heddle/xds';
import { ApiVersion } from '@heddle/xds/gen/envoy/config/core/v3/config_source_pb.ts';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { destinationsFor, ruleFor, type OutboundDestination } from '../cluster/destination.ts';
import { checkRule } from '../cluster/rule-checks.ts';
import { loadAssignmentFor } from '../endpoint/load-assignment.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { grpcPolicyFields } from './grpc-cluster-policy.ts';
import { dialableEndpoints } from './grpc-endpoints.ts';
import type { GrpcTarget } from './grpc-targets.ts';

const UNIX_PREFIX = 'unix://';

type DiscoveryInit = Pick<
  Exclude<MessageInitShape<typeof ClusterSchema>, Cluster>,
  'clusterDiscoveryType' | 'edsClusterConfig' | 'loadAssignment'
>;

/** The destinations of the targets' ports, each service's DestinationRule checked once. */
export function grpcDestinations(
  ctx: TranslationContext,
  targets: readonly GrpcTarget[],
): OutboundDestination[] {
  const ports = new Map<string, Set<number>>();
  for (const { service, port } of targets) {
    const set = ports.get(service.hostname) ?? new Set<number>();
    set.add(port.number);
    ports.set(service.hostname, set);
  }
  const seen = new Set<string>();
  return targets.flatMap(({ service }) => {
    if (seen.has(service.hostname)) return [];
    seen.add(service.hostname);
    const rule = ruleFor(ctx, service);
    if (rule) checkRule(ctx, service, rule);
    return destinationsFor(ctx, service).filter((dest) => ports.get(service.hostname)?.has(dest.port.number));
  });
}

/** DNS resolution: LOGICAL_DNS, a name the gRPC client resolves itself (EDS when there is no host at all). */
export function usesLogicalDns(dest: OutboundDestination): boolean {
  const { resolution } = dest.service;
  return resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN';
}

function logicalDnsFields(ctx: TranslationContext, dest: OutboundDestination): DiscoveryInit | undefined {
  const [first, ...rest] = dialableEndpoints(ctx, dest, (e) => !e.address.startsWith(UNIX_PREFIX));
  if (!first) return undefined;
  if (rest.length > 0) {
    ctx.warn({
      code: 'HEDDLE_TRANSLATE_DNS_ROUND_ROBIN_ENDPOINTS',
      message: `${dest.service.hostname} resolves ${rest.length + 1} host names; proxyless gRPC clients resolve one, ${first.address}`,
      resource: dest.service.origin,
    });
  }
  return {
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.LOGICAL_DNS },
    loadAssignment: loadAssignmentFor(ctx, dest, [first]),
  };
}

export function grpcCluster(ctx: TranslationContext, dest: OutboundDestination): Cluster {
  // A DNS service without hosts (a subset selecting none) is an empty EDS cluster: RPCs fail fast, not after
  // the client's 15 s wait for a cluster that never comes.
  const eds: DiscoveryInit = {
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS },
    edsClusterConfig: {
      edsConfig: { configSourceSpecifier: { case: 'ads', value: {} }, resourceApiVersion: ApiVersion.V3 },
      serviceName: dest.clusterName,
    },
  };
  const discovery = (usesLogicalDns(dest) ? logicalDnsFields(ctx, dest) : undefined) ?? eds;
  return create(ClusterSchema, { name: dest.clusterName, ...discovery, ...grpcPolicyFields(ctx, dest) });
}
