// Builds the ClusterLoadAssignment resources for one proxy.
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { ClusterLoadAssignment } from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';

export function buildEndpoints(
  _ctx: TranslationContext,
  _clusters: readonly Cluster[],
): ClusterLoadAssignment[] {
  return [];
}
