// Inbound clusters `inbound|<port>||`: from this workload's proxy to its application, one per inbound port,
// STATIC with the local endpoint inline (no EDS round trip for something that never moves).
import { create } from '@bufbuild/protobuf';
import { inboundClusterName } from '@heddle/xds';
import {
  ClusterSchema,
  Cluster_DiscoveryType,
  type Cluster,
} from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { localLoadAssignment } from '../endpoint/load-assignment.ts';
import { circuitBreakersFor, connectTimeoutFor, upstreamConnectionOptionsFor } from './connection-pool.ts';
import { httpProtocolOptionsFor } from './http-protocol-options.ts';
import { inboundPorts, type InboundPort } from './inbound-ports.ts';

function buildInboundCluster(ctx: TranslationContext, inbound: InboundPort): Cluster {
  const mesh = ctx.index.snapshot.meshConfig;
  const name = inboundClusterName(inbound.port);
  const pool = inbound.connectionPool;
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    connectTimeout: connectTimeoutFor(pool, mesh),
    circuitBreakers: circuitBreakersFor(pool),
    upstreamConnectionOptions: upstreamConnectionOptionsFor(pool),
    // The app speaks the port's protocol; an h2c gRPC server needs HTTP/2 from the proxy too.
    typedExtensionProtocolOptions: httpProtocolOptionsFor({ protocol: inbound.protocol, pool, mesh }) ?? {},
    loadAssignment: localLoadAssignment(name, inbound.target.address, inbound.target.port),
  });
}

export function buildInboundClusters(ctx: TranslationContext): Cluster[] {
  return inboundPorts(ctx).map((inbound) => buildInboundCluster(ctx, inbound));
}
