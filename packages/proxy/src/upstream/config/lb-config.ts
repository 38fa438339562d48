// The LB settings of a cluster: lb_policy with its lb_config and common_lb_config, or, when present, the
// typed load_balancing_policy (which Envoy prefers).
import {
  Cluster_LbPolicy,
  Cluster_RingHashLbConfig_HashFunction,
} from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { LbConfig, LbPolicyName } from './compiled-cluster.ts';
import { ClusterConfigError } from './config-error.ts';
import { DEFAULT_LB, maglevTableSize, ringSizes, runtimeDouble, slowStart } from './lb-defaults.ts';
import { compileLbPolicyExtension } from './lb-policy-extension.ts';

const POLICY_NAMES: Record<number, LbPolicyName | undefined> = {
  [Cluster_LbPolicy.ROUND_ROBIN]: 'ROUND_ROBIN',
  [Cluster_LbPolicy.LEAST_REQUEST]: 'LEAST_REQUEST',
  [Cluster_LbPolicy.RANDOM]: 'RANDOM',
  [Cluster_LbPolicy.RING_HASH]: 'RING_HASH',
  [Cluster_LbPolicy.MAGLEV]: 'MAGLEV',
  [Cluster_LbPolicy.CLUSTER_PROVIDED]: 'CLUSTER_PROVIDED',
};

export function compileLbConfig(cluster: Cluster, where: string): LbConfig {
  const common = compileCommonLbConfig(cluster, where);
  if (cluster.lbSubsetConfig && cluster.lbSubsetConfig.subsetSelectors.length > 0) {
    throw new ClusterConfigError(`${where}: lb_subset_config: subset load balancing is not supported`);
  }
  if (cluster.loadBalancingPolicy) {
    const typed = compileLbPolicyExtension(cluster.loadBalancingPolicy, `${where}: load_balancing_policy`);
    return {
      ...DEFAULT_LB,
      ...common,
      ...typed,
      localityWeighted: common.localityWeighted || typed.localityWeighted,
    };
  }
  const policy = POLICY_NAMES[cluster.lbPolicy];
  if (!policy) {
    throw new ClusterConfigError(
      `${where}: lb_policy: ${cluster.lbPolicy === Cluster_LbPolicy.LOAD_BALANCING_POLICY_CONFIG ? 'LOAD_BALANCING_POLICY_CONFIG needs load_balancing_policy' : `${cluster.lbPolicy} is not supported`}`,
    );
  }
  return { ...DEFAULT_LB, ...common, policy, ...policyFields(cluster, policy, where) };
}

function policyFields(cluster: Cluster, policy: LbPolicyName, where: string): Partial<LbConfig> {
  const lbConfig = cluster.lbConfig;
  switch (lbConfig.case) {
    case undefined:
      return {};
    case 'roundRobinLbConfig':
      return slowStart(lbConfig.value.slowStartConfig, `${where}: round_robin_lb_config.slow_start_config`);
    case 'leastRequestLbConfig': {
      const config = lbConfig.value;
      const choiceCount = config.choiceCount ?? 2;
      if (choiceCount < 2)
        throw new ClusterConfigError(`${where}: least_request_lb_config.choice_count: at least 2`);
      return {
        choiceCount,
        activeRequestBias: runtimeDouble(config.activeRequestBias, 1),
        ...slowStart(config.slowStartConfig, `${where}: least_request_lb_config.slow_start_config`),
      };
    }
    case 'ringHashLbConfig': {
      const config = lbConfig.value;
      if (config.hashFunction !== Cluster_RingHashLbConfig_HashFunction.XX_HASH) {
        throw new ClusterConfigError(
          `${where}: ring_hash_lb_config.hash_function: only XX_HASH is supported`,
        );
      }
      return ringSizes(config.minimumRingSize, config.maximumRingSize, `${where}: ring_hash_lb_config`);
    }
    case 'maglevLbConfig':
      return { maglevTableSize: maglevTableSize(lbConfig.value.tableSize, `${where}: maglev_lb_config`) };
    case 'originalDstLbConfig':
      // Read by the discovery compiler; the policy itself is CLUSTER_PROVIDED.
      return {};
  }
}

function compileCommonLbConfig(
  cluster: Cluster,
  where: string,
): Pick<LbConfig, 'healthyPanicThreshold' | 'localityWeighted' | 'useHostnameForHashing'> {
  const common = cluster.commonLbConfig;
  const at = `${where}: common_lb_config`;
  const threshold = common?.healthyPanicThreshold?.value ?? DEFAULT_LB.healthyPanicThreshold;
  if (threshold < 0 || threshold > 100)
    throw new ClusterConfigError(`${at}.healthy_panic_threshold: must be 0–100`);
  if (common?.closeConnectionsOnHostSetChange) {
    throw new ClusterConfigError(`${at}.close_connections_on_host_set_change: not supported`);
  }
  if (common?.overrideHostStatus) throw new ClusterConfigError(`${at}.override_host_status: not supported`);
  const hashing = common?.consistentHashingLbConfig;
  if (hashing?.hashBalanceFactor !== undefined) {
    throw new ClusterConfigError(`${at}.consistent_hashing_lb_config.hash_balance_factor: not supported`);
  }
  // zone_aware_lb_config only acts with a local cluster, which the proxy never has: accepted as a no-op.
  return {
    healthyPanicThreshold: threshold,
    localityWeighted: common?.localityConfigSpecifier.case === 'localityWeightedLbConfig',
    useHostnameForHashing: hashing?.useHostnameForHashing ?? false,
  };
}
