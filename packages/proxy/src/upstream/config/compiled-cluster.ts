// The compiled form of a CDS Cluster: everything the runtime needs, decoded and validated once per update.
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { EndpointSpec } from './endpoint-spec.ts';
import type { TransportConfig } from './transport-config.ts';

export type DiscoveryKind = 'STATIC' | 'STRICT_DNS' | 'LOGICAL_DNS' | 'EDS' | 'ORIGINAL_DST';

export interface DiscoveryConfig {
  readonly kind: DiscoveryKind;
  /** EDS: the ClusterLoadAssignment name (eds_cluster_config.service_name, else the cluster name). */
  readonly edsServiceName?: string;
  /** STATIC, STRICT_DNS, LOGICAL_DNS: the inline load_assignment. */
  readonly endpoints?: readonly EndpointSpec[];
  readonly overprovisioningFactor: number;
  readonly dnsRefreshMs: number;
  readonly dnsFailureRefreshMs: number;
  /** 4, 6, or 0 for either. */
  readonly dnsFamily: 0 | 4 | 6;
  readonly originalDst?: OriginalDstConfig;
}

export interface OriginalDstConfig {
  readonly useHttpHeader: boolean;
  readonly upstreamPortOverride?: number;
  readonly cleanupIntervalMs: number;
}

export type LbPolicyName =
  'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'RING_HASH' | 'MAGLEV' | 'CLUSTER_PROVIDED';

export interface LbConfig {
  readonly policy: LbPolicyName;
  /** LEAST_REQUEST: hosts sampled per pick when weights are equal (power of N choices). */
  readonly choiceCount: number;
  /** LEAST_REQUEST: weight / (active + 1)^bias when weights differ. */
  readonly activeRequestBias: number;
  /** LEAST_REQUEST: compare every host instead of sampling (selection_method FULL_SCAN). */
  readonly fullScan: boolean;
  readonly slowStart?: SlowStartConfig;
  readonly minRingSize: number;
  readonly maxRingSize: number;
  readonly maglevTableSize: number;
  readonly useHostnameForHashing: boolean;
  readonly localityWeighted: boolean;
  /** Percent (0–100); 0 turns panic mode off. */
  readonly healthyPanicThreshold: number;
}

export interface SlowStartConfig {
  readonly windowMs: number;
  readonly aggression: number;
  /** Fraction (0–1) of its weight a new host starts with. */
  readonly minWeight: number;
}

export interface RetryBudget {
  readonly percent: number;
  readonly minRetryConcurrency: number;
}

export interface CircuitBreakerConfig {
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly maxRetries: number;
  readonly retryBudget?: RetryBudget;
}

export interface OutlierConfig {
  readonly intervalMs: number;
  readonly baseEjectionMs: number;
  readonly maxEjectionMs: number;
  readonly maxEjectionPercent: number;
  readonly consecutive5xx: number;
  readonly enforcingConsecutive5xx: number;
  readonly consecutiveGatewayFailure: number;
  readonly enforcingConsecutiveGatewayFailure: number;
  readonly splitExternalLocalOriginErrors: boolean;
  readonly consecutiveLocalOriginFailure: number;
  readonly enforcingConsecutiveLocalOriginFailure: number;
  readonly enforcingSuccessRate: number;
  readonly successRateMinimumHosts: number;
  readonly successRateRequestVolume: number;
  readonly successRateStdevFactor: number;
  readonly failurePercentageThreshold: number;
  readonly enforcingFailurePercentage: number;
  readonly failurePercentageMinimumHosts: number;
  readonly failurePercentageRequestVolume: number;
}

export type UpstreamProtocol = 'http1' | 'http2' | 'downstream';

export interface HttpConfig {
  readonly protocol: UpstreamProtocol;
  readonly idleTimeoutMs: number;
  /** 0: unlimited. */
  readonly maxRequestsPerConnection: number;
  /** 0: unlimited. */
  readonly maxConnectionDurationMs: number;
  readonly maxConcurrentStreams: number;
  readonly initialStreamWindowSize?: number;
  readonly initialConnectionWindowSize?: number;
  /** SNI from the request's authority (upstream_http_protocol_options.auto_sni). */
  readonly autoSni: boolean;
  /** Verify the server certificate against that SNI (auto_san_validation). */
  readonly autoSanValidation: boolean;
}

export interface TcpKeepaliveConfig {
  readonly timeMs?: number;
}

export interface CompiledCluster {
  readonly name: string;
  /** The stats prefix: alt_stat_name, else the name. */
  readonly statName: string;
  readonly source: Cluster;
  readonly discovery: DiscoveryConfig;
  readonly lb: LbConfig;
  readonly circuitBreakers: CircuitBreakerConfig;
  readonly outlier?: OutlierConfig;
  readonly connectTimeoutMs: number;
  readonly http: HttpConfig;
  readonly transport: TransportConfig;
  readonly tcpKeepalive?: TcpKeepaliveConfig;
}
