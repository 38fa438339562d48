// One outbound cluster per destination (service port × subset): discovery, LB policy, connection pool,
// outlier detection, upstream TLS and HTTP options from the merged DestinationRule policy.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { ClusterSchema, type Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { circuitBreakersFor, connectTimeoutFor, upstreamConnectionOptionsFor } from './connection-pool.ts';
import { clusterMetadata } from './cluster-metadata.ts';
import { ruleResource, type OutboundDestination } from './destination.ts';
import { discoveryFor } from './discovery.ts';
import { httpProtocolOptionsFor, isHttpProtocol, upstreamHttpVersion } from './http-protocol-options.ts';
import { commonLbConfigFor, lbPolicyFor } from './load-balancer.ts';
import { outlierDetectionFor } from './outlier-detection.ts';
import { upstreamTransportFor } from './upstream-tls.ts';

export function buildOutboundCluster(ctx: TranslationContext, dest: OutboundDestination): Cluster {
  const { policy, port, service } = dest;
  const mesh = ctx.index.snapshot.meshConfig;
  const pool = policy.connectionPool;
  const http2 = isHttpProtocol(port.protocol) && upstreamHttpVersion(port.protocol, pool, mesh) === 'http2';
  const transport = upstreamTransportFor(ctx, {
    service,
    port: port.number,
    subset: dest.subsetName,
    tls: policy.tls,
    http2,
    ...(dest.rule ? { resource: ruleResource(dest.rule) } : {}),
  });
  const init: MessageInitShape<typeof ClusterSchema> = {
    name: dest.clusterName,
    ...discoveryFor(ctx, dest, lbPolicyFor(policy.loadBalancer)),
    connectTimeout: connectTimeoutFor(pool, mesh),
    circuitBreakers: circuitBreakersFor(pool, policy.retryBudget),
    outlierDetection: outlierDetectionFor(policy.outlierDetection),
    commonLbConfig: commonLbConfigFor(policy),
    upstreamConnectionOptions: upstreamConnectionOptionsFor(pool),
    typedExtensionProtocolOptions:
      httpProtocolOptionsFor({
        protocol: port.protocol,
        pool,
        mesh,
        ...(transport.autoSni ? { autoSni: transport.autoSni } : {}),
      }) ?? {},
    transportSocket: transport.transportSocket,
    transportSocketMatches: transport.transportSocketMatches ?? [],
    metadata: clusterMetadata(dest),
  };
  return create(ClusterSchema, init);
}
