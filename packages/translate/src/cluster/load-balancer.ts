// DestinationRule loadBalancer settings as an Envoy cluster LB policy. Policy selection lives in lbPolicyFor
// alone, so a client that supports fewer policies (proxyless gRPC) is served by switching one option.
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { LoadBalancerSettings, WarmupConfiguration } from '@heddle/api';
import { Cluster_LbPolicy, type ClusterSchema } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { EffectivePolicy } from './traffic-policy.ts';
import { localitySettingFor, usesLocalityWeightedLb } from './locality.ts';
import { healthyPanicThresholdFor } from './outlier-detection.ts';
import { protoDuration } from './proto-duration.ts';

type ClusterInit = MessageInitShape<typeof ClusterSchema>;

/** Envoy's default ring size, which Istio writes out when the rule does not give one. */
export const DEFAULT_MINIMUM_RING_SIZE = 1024n;
/** Istio's defaults for `warmup`. */
const DEFAULT_WARMUP_MIN_PERCENT = 10;
const DEFAULT_WARMUP_AGGRESSION = 1.0;
const SLOW_START_AGGRESSION_RUNTIME_KEY = 'upstream.istio.slow_start.aggression';

export interface LbOptions {
  /** Proxyless gRPC (grpc-js-xds) accepts only ROUND_ROBIN and RING_HASH, without slow start. */
  readonly grpcClient?: boolean;
}

export interface LbPolicyChoice {
  readonly lbPolicy: Cluster_LbPolicy;
  readonly lbConfig?: ClusterInit['lbConfig'];
  /** `simple: PASSTHROUGH`: the cluster becomes ORIGINAL_DST with lb_policy CLUSTER_PROVIDED. */
  readonly originalDst: boolean;
}

/** Istio's default when nothing is set (since 1.14) is LEAST_REQUEST; LEAST_CONN is its old name. */
export function lbPolicyFor(lb: LoadBalancerSettings | undefined, options: LbOptions = {}): LbPolicyChoice {
  const grpc = options.grpcClient === true;
  const hash = lb?.consistentHash;
  if (hash) {
    if (hash.maglev && !grpc) {
      const tableSize = hash.maglev.tableSize;
      return {
        lbPolicy: Cluster_LbPolicy.MAGLEV,
        lbConfig: tableSize ? { case: 'maglevLbConfig', value: { tableSize: BigInt(tableSize) } } : undefined,
        originalDst: false,
      };
    }
    const size = hash.ringHash?.minimumRingSize ?? hash.minimumRingSize;
    return {
      lbPolicy: Cluster_LbPolicy.RING_HASH,
      lbConfig: {
        case: 'ringHashLbConfig',
        value: { minimumRingSize: size ? BigInt(size) : DEFAULT_MINIMUM_RING_SIZE },
      },
      originalDst: false,
    };
  }
  const slowStart = grpc ? undefined : slowStartFor(lb);
  switch (lb?.simple) {
    case 'PASSTHROUGH':
      return { lbPolicy: Cluster_LbPolicy.CLUSTER_PROVIDED, originalDst: true };
    case 'ROUND_ROBIN':
      return {
        lbPolicy: Cluster_LbPolicy.ROUND_ROBIN,
        lbConfig: slowStart && { case: 'roundRobinLbConfig', value: { slowStartConfig: slowStart } },
        originalDst: false,
      };
    case 'RANDOM':
      return { lbPolicy: grpc ? Cluster_LbPolicy.ROUND_ROBIN : Cluster_LbPolicy.RANDOM, originalDst: false };
    case 'LEAST_CONN':
    case 'LEAST_REQUEST':
    case 'UNSPECIFIED':
    case undefined:
      if (grpc) return { lbPolicy: Cluster_LbPolicy.ROUND_ROBIN, originalDst: false };
      return {
        lbPolicy: Cluster_LbPolicy.LEAST_REQUEST,
        lbConfig: slowStart && { case: 'leastRequestLbConfig', value: { slowStartConfig: slowStart } },
        originalDst: false,
      };
  }
}

type SlowStartInit = NonNullable<
  Extract<NonNullable<ClusterInit['lbConfig']>, { case: 'roundRobinLbConfig' }>['value']['slowStartConfig']
>;

function slowStartFor(lb: LoadBalancerSettings | undefined): SlowStartInit | undefined {
  const warmup: WarmupConfiguration | undefined =
    lb?.warmup ?? (lb?.warmupDurationSecs !== undefined ? { duration: lb.warmupDurationSecs } : undefined);
  const window = protoDuration(warmup?.duration);
  if (!warmup || !window) return undefined;
  return {
    slowStartWindow: window,
    aggression: {
      defaultValue: warmup.aggression ?? DEFAULT_WARMUP_AGGRESSION,
      runtimeKey: SLOW_START_AGGRESSION_RUNTIME_KEY,
    },
    minWeightPercent: { value: warmup.minimumPercent ?? DEFAULT_WARMUP_MIN_PERCENT },
  };
}

/** common_lb_config: the panic threshold from outlier detection and locality-weighted balancing. */
export function commonLbConfigFor(policy: EffectivePolicy): ClusterInit['commonLbConfig'] {
  const panic = healthyPanicThresholdFor(policy.outlierDetection);
  const localityWeighted = usesLocalityWeightedLb(
    localitySettingFor(policy.loadBalancer),
    policy.outlierDetection !== undefined,
  );
  if (panic === undefined && !localityWeighted) return undefined;
  return {
    ...(panic !== undefined ? { healthyPanicThreshold: { value: panic } } : {}),
    ...(localityWeighted
      ? { localityConfigSpecifier: { case: 'localityWeightedLbConfig' as const, value: {} } }
      : {}),
  };
}
