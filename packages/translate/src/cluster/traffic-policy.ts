// The DestinationRule policy in force for one port of one subset, merged in Istio's order: the rule's policy,
// its portLevelSettings for the port, the subset's policy, the subset's portLevelSettings for the port.
import type {
  ClientTLSSettings,
  ConnectionPoolSettings,
  DestinationRuleSpec,
  LoadBalancerSettings,
  OutlierDetection,
  PortTrafficPolicy,
  ProxyProtocol,
  RetryBudget,
  TrafficPolicy,
  TunnelSettings,
} from '@heddle/api';

/** Each section comes whole from the most specific level that sets it (sections are never merged field by field). */
export interface EffectivePolicy {
  readonly loadBalancer?: LoadBalancerSettings;
  readonly connectionPool?: ConnectionPoolSettings;
  readonly outlierDetection?: OutlierDetection;
  readonly tls?: ClientTLSSettings;
  readonly tunnel?: TunnelSettings;
  readonly proxyProtocol?: ProxyProtocol;
  readonly retryBudget?: RetryBudget;
}

function overlay(
  base: EffectivePolicy,
  level: TrafficPolicy | PortTrafficPolicy | undefined,
): EffectivePolicy {
  if (!level) return base;
  const whole: TrafficPolicy = level;
  return {
    loadBalancer: level.loadBalancer ?? base.loadBalancer,
    connectionPool: level.connectionPool ?? base.connectionPool,
    outlierDetection: level.outlierDetection ?? base.outlierDetection,
    tls: level.tls ?? base.tls,
    tunnel: whole.tunnel ?? base.tunnel,
    proxyProtocol: whole.proxyProtocol ?? base.proxyProtocol,
    retryBudget: whole.retryBudget ?? base.retryBudget,
  };
}

/** The first portLevelSettings entry for `port`, as Istio takes it. */
export function portLevelPolicy(
  policy: TrafficPolicy | undefined,
  port: number,
): PortTrafficPolicy | undefined {
  return policy?.portLevelSettings?.find((entry) => entry.port?.number === port);
}

/** `subsetName` '' means no subset; an unknown subset name gets the rule's policy alone. */
export function effectivePolicy(
  rule: DestinationRuleSpec | undefined,
  port: number,
  subsetName: string,
): EffectivePolicy {
  const top = rule?.trafficPolicy;
  const policy = overlay(overlay({}, top), portLevelPolicy(top, port));
  if (subsetName === '') return policy;
  const subset = rule?.subsets?.find((s) => s.name === subsetName)?.trafficPolicy;
  return overlay(overlay(policy, subset), portLevelPolicy(subset, port));
}
