// The DestinationRule policy of a destination as a gRPC client applies it: ROUND_ROBIN or RING_HASH, max
// concurrent requests, outlier detection within gRPC's ranges; a warning names what it would not apply.
import type { MessageInitShape } from '@bufbuild/protobuf';
import { Cluster_LbPolicy, type ClusterSchema } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { OutboundDestination } from '../cluster/destination.ts';
import { ruleResource } from '../cluster/destination.ts';
import { circuitBreakersFor } from '../cluster/connection-pool.ts';
import { lbPolicyFor } from '../cluster/load-balancer.ts';
import { outlierDetectionFor } from '../cluster/outlier-detection.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { GRPC_WARNINGS } from './warning-codes.ts';

type ClusterInit = MessageInitShape<typeof ClusterSchema>;
export type GrpcPolicyFields = Pick<
  ClusterInit,
  'lbPolicy' | 'lbConfig' | 'circuitBreakers' | 'outlierDetection'
>;

/** gRPC clients NACK a ring larger than this. */
export const MAX_GRPC_RING_SIZE = 8_388_608n;
const MAX_PERCENT = 100;

/** The policy fields a gRPC client does not implement, as the warning names them. */
function unsupported(dest: OutboundDestination): string[] {
  const { loadBalancer: lb, outlierDetection: outlier, tls } = dest.policy;
  const out: string[] = [];
  const simple = lb?.consistentHash ? undefined : lb?.simple;
  if (simple !== undefined && simple !== 'ROUND_ROBIN' && simple !== 'UNSPECIFIED')
    out.push(`loadBalancer.simple ${simple} (ROUND_ROBIN is used)`);
  if (lb?.consistentHash?.maglev) out.push('loadBalancer.consistentHash.maglev (RING_HASH is used)');
  if (lb?.warmup !== undefined || lb?.warmupDurationSecs !== undefined) out.push('loadBalancer.warmup');
  if (
    outlier &&
    [outlier.consecutiveErrors, outlier.consecutive5xxErrors, outlier.consecutiveGatewayErrors].some(
      (n) => n !== undefined && n > 0,
    )
  )
    out.push(
      'outlierDetection consecutive error thresholds (gRPC ejects on success rate or failure percentage only)',
    );
  if (tls?.mode !== undefined && tls.mode !== 'DISABLE')
    out.push(`tls mode ${tls.mode} (clusters for proxyless gRPC are plaintext)`);
  return out;
}

export function grpcPolicyFields(ctx: TranslationContext, dest: OutboundDestination): GrpcPolicyFields {
  // One warning per field, so the subsets that inherit a setting repeat none.
  for (const field of unsupported(dest)) {
    ctx.warn({
      code: GRPC_WARNINGS.UNSUPPORTED_FIELD,
      message: `proxyless gRPC clients of ${dest.service.hostname} do not apply ${field}`,
      ...(dest.rule ? { resource: ruleResource(dest.rule) } : {}),
    });
  }
  const lb = lbPolicyFor(dest.policy.loadBalancer, { grpcClient: true });
  let lbConfig = lb.lbConfig;
  if (lbConfig?.case === 'ringHashLbConfig') {
    const size = lbConfig.value.minimumRingSize;
    if (typeof size === 'bigint' && size > MAX_GRPC_RING_SIZE)
      lbConfig = {
        case: 'ringHashLbConfig',
        value: { ...lbConfig.value, minimumRingSize: MAX_GRPC_RING_SIZE },
      };
  }
  const outlier = outlierDetectionFor(dest.policy.outlierDetection);
  if (outlier?.maxEjectionPercent !== undefined && outlier.maxEjectionPercent > MAX_PERCENT)
    outlier.maxEjectionPercent = MAX_PERCENT;
  const maxRequests = circuitBreakersFor(dest.policy.connectionPool).thresholds?.[0]?.maxRequests;
  return {
    // PASSTHROUGH has no meaning without original destinations: round robin over the endpoints instead.
    lbPolicy: lb.originalDst ? Cluster_LbPolicy.ROUND_ROBIN : lb.lbPolicy,
    ...(lbConfig && !lb.originalDst ? { lbConfig } : {}),
    circuitBreakers: { thresholds: [{ maxRequests }] },
    ...(outlier ? { outlierDetection: outlier } : {}),
  };
}
