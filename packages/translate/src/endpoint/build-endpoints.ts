// Builds the ClusterLoadAssignment resources for one proxy: one per EDS cluster of its CDS output, so
// every cluster Envoy waits on gets an answer, even an empty one.
import { create } from '@bufbuild/protobuf';
import { Cluster_DiscoveryType, type Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import {
  ClusterLoadAssignmentSchema,
  type ClusterLoadAssignment,
} from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { destinationEndpoints, destinationForCluster } from '../cluster/destination.ts';
import { loadAssignmentFor } from './load-assignment.ts';

function isEds(cluster: Cluster): boolean {
  return (
    cluster.clusterDiscoveryType.case === 'type' &&
    cluster.clusterDiscoveryType.value === Cluster_DiscoveryType.EDS
  );
}

export function buildEndpoints(
  ctx: TranslationContext,
  clusters: readonly Cluster[],
): ClusterLoadAssignment[] {
  return clusters.filter(isEds).map((cluster) => {
    const serviceName = cluster.edsClusterConfig?.serviceName || cluster.name;
    const dest = destinationForCluster(ctx, serviceName);
    if (!dest) return create(ClusterLoadAssignmentSchema, { clusterName: serviceName });
    return loadAssignmentFor(ctx, dest, destinationEndpoints(dest));
  });
}
