// How an outbound cluster finds its hosts, from the service's resolution: EDS over ADS for registry
// endpoints, STRICT_DNS / LOGICAL_DNS with the host names inline, ORIGINAL_DST for NONE and PASSTHROUGH.
import type { MessageInitShape } from '@bufbuild/protobuf';
import { ApiVersion } from '@heddle/xds/gen/envoy/config/core/v3/config_source_pb.ts';
import {
  Cluster_DiscoveryType,
  Cluster_DnsLookupFamily,
  Cluster_LbPolicy,
  type Cluster,
  type ClusterSchema,
} from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { loadAssignmentFor } from '../endpoint/load-assignment.ts';
import { destinationEndpoints, type OutboundDestination } from './destination.ts';
import type { LbPolicyChoice } from './load-balancer.ts';
import { protoDuration } from './proto-duration.ts';

type ClusterFields = Exclude<MessageInitShape<typeof ClusterSchema>, Cluster>;
export type DiscoveryFields = Pick<
  ClusterFields,
  | 'clusterDiscoveryType'
  | 'edsClusterConfig'
  | 'loadAssignment'
  | 'dnsRefreshRate'
  | 'respectDnsTtl'
  | 'dnsLookupFamily'
  | 'lbPolicy'
  | 'lbConfig'
>;

/** Istio's meshConfig.dnsRefreshRate default. */
const DEFAULT_DNS_REFRESH_RATE = '60s';

const discoveryType = (value: Cluster_DiscoveryType): ClusterFields['clusterDiscoveryType'] => ({
  case: 'type',
  value,
});

/** The discovery fields plus the LB fields (ORIGINAL_DST replaces the LB policy with CLUSTER_PROVIDED). */
export function discoveryFor(
  ctx: TranslationContext,
  dest: OutboundDestination,
  lb: LbPolicyChoice,
): DiscoveryFields {
  const { resolution } = dest.service;
  if (lb.originalDst || resolution === 'NONE') {
    return {
      clusterDiscoveryType: discoveryType(Cluster_DiscoveryType.ORIGINAL_DST),
      lbPolicy: Cluster_LbPolicy.CLUSTER_PROVIDED,
    };
  }
  const lbFields = { lbPolicy: lb.lbPolicy, ...(lb.lbConfig ? { lbConfig: lb.lbConfig } : {}) };
  if (resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') {
    let endpoints = destinationEndpoints(dest);
    const logical = resolution === 'DNS_ROUND_ROBIN';
    if (logical && endpoints.length > 1) {
      // LOGICAL_DNS resolves exactly one name; Envoy rejects the cluster otherwise.
      ctx.warn({
        code: 'HEDDLE_TRANSLATE_DNS_ROUND_ROBIN_ENDPOINTS',
        message: `${dest.service.hostname} uses DNS_ROUND_ROBIN with ${endpoints.length} endpoints; only ${endpoints[0]?.address ?? ''} is used`,
        resource: dest.service.origin,
      });
      endpoints = endpoints.slice(0, 1);
    }
    const mesh = ctx.index.snapshot.meshConfig;
    return {
      clusterDiscoveryType: discoveryType(
        logical ? Cluster_DiscoveryType.LOGICAL_DNS : Cluster_DiscoveryType.STRICT_DNS,
      ),
      ...lbFields,
      loadAssignment: loadAssignmentFor(ctx, dest, endpoints),
      dnsRefreshRate: protoDuration(mesh.dnsRefreshRate) ?? protoDuration(DEFAULT_DNS_REFRESH_RATE),
      respectDnsTtl: true,
      dnsLookupFamily: Cluster_DnsLookupFamily.V4_ONLY,
    };
  }
  return {
    clusterDiscoveryType: discoveryType(Cluster_DiscoveryType.EDS),
    ...lbFields,
    edsClusterConfig: {
      edsConfig: { configSourceSpecifier: { case: 'ads', value: {} }, resourceApiVersion: ApiVersion.V3 },
      serviceName: dest.clusterName,
    },
  };
}
