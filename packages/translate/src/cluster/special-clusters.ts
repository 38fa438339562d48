// The two clusters every sidecar and gateway has: BlackHoleCluster (nowhere; REGISTRY_ONLY misses go
// here) and PassthroughCluster (the original destination; ALLOW_ANY misses go here).
import { create } from '@bufbuild/protobuf';
import type { MeshConfig } from '@heddle/api';
import { BLACKHOLE_CLUSTER, PASSTHROUGH_CLUSTER } from '@heddle/xds';
import {
  ClusterSchema,
  Cluster_DiscoveryType,
  Cluster_LbPolicy,
  type Cluster,
} from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { circuitBreakersFor, connectTimeoutFor } from './connection-pool.ts';
import { httpProtocolOptionsFor } from './http-protocol-options.ts';

/** STATIC with no endpoints: every connection fails at once. */
export function blackHoleCluster(mesh: MeshConfig): Cluster {
  return create(ClusterSchema, {
    name: BLACKHOLE_CLUSTER,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    connectTimeout: connectTimeoutFor(undefined, mesh),
  });
}

/**
 * ORIGINAL_DST: transparent capture knows the destination from the socket; an explicit-mode HTTP proxy has
 * none, so the destination may also come from a request header (use_http_header).
 */
export function passthroughCluster(mesh: MeshConfig): Cluster {
  return create(ClusterSchema, {
    name: PASSTHROUGH_CLUSTER,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.ORIGINAL_DST },
    lbPolicy: Cluster_LbPolicy.CLUSTER_PROVIDED,
    lbConfig: { case: 'originalDstLbConfig', value: { useHttpHeader: true } },
    connectTimeout: connectTimeoutFor(undefined, mesh),
    circuitBreakers: circuitBreakersFor(undefined),
    // Unknown traffic keeps the HTTP version the application chose.
    typedExtensionProtocolOptions:
      httpProtocolOptionsFor({ protocol: 'HTTP', pool: { http: { useClientProtocol: true } }, mesh }) ?? {},
  });
}
