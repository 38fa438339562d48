// The DestinationRule spec: what happens to traffic after routing — subsets, load balancing, pools, TLS.
import type { Labels, PolicySelector } from '../common.ts';
import type { NetworkingApiVersion, Resource } from '../resource.ts';
import type { PortSelector } from './virtual-service.ts';

export type DestinationRule = Resource<'DestinationRule', DestinationRuleSpec, NetworkingApiVersion>;

export interface DestinationRuleSpec {
  /** Service host from the registry; short names resolve in the DestinationRule's namespace. */
  readonly host: string;
  /** Policy for every subset and port, unless a subset or port-level policy overrides it. */
  readonly trafficPolicy?: TrafficPolicy;
  readonly subsets?: readonly Subset[];
  /** Namespaces that see this resource: `*` all (the default), `.` its own. */
  readonly exportTo?: readonly string[];
  /** Applies the rule only to these workloads of the DestinationRule's namespace; unset: all clients. */
  readonly workloadSelector?: PolicySelector;
}

/**
 * Client-side policy towards a destination. Subset and port-level policies replace whole sections
 * (`loadBalancer`, `connectionPool`, `outlierDetection`, `tls`) of the policy above them.
 */
export interface TrafficPolicy {
  readonly loadBalancer?: LoadBalancerSettings;
  readonly connectionPool?: ConnectionPoolSettings;
  /** Unset: no outlier detection (hosts are never ejected). */
  readonly outlierDetection?: OutlierDetection;
  /** Unset: with auto mTLS (the default) Istio uses ISTIO_MUTUAL towards sidecar-injected endpoints. */
  readonly tls?: ClientTLSSettings;
  /** Per-port overrides; they win over the settings of this policy. */
  readonly portLevelSettings?: readonly PortTrafficPolicy[];
  /** Tunnel TCP to the destination over HTTP CONNECT/POST through `targetHost`. */
  readonly tunnel?: TunnelSettings;
  /** Send a PROXY protocol header upstream. */
  readonly proxyProtocol?: ProxyProtocol;
  /** Limits concurrent retries relative to active requests; when set, `maxRetries` is not used. */
  readonly retryBudget?: RetryBudget;
}

/** A named set of endpoints of the service, selected by label (typically a version). */
export interface Subset {
  /** Referenced as `destination.subset`; appears in cluster names `outbound|<port>|<subset>|<host>`. */
  readonly name: string;
  /** Endpoint labels; ANDed with the service's own selector. */
  readonly labels?: Labels;
  readonly trafficPolicy?: TrafficPolicy;
}

/** Policy for one port of the destination. */
export interface PortTrafficPolicy {
  readonly port?: PortSelector;
  readonly loadBalancer?: LoadBalancerSettings;
  readonly connectionPool?: ConnectionPoolSettings;
  readonly outlierDetection?: OutlierDetection;
  readonly tls?: ClientTLSSettings;
}

/** Exactly one of `simple` and `consistentHash`. Unset: LEAST_REQUEST. */
export interface LoadBalancerSettings {
  readonly simple?: SimpleLB;
  readonly consistentHash?: ConsistentHashLB;
  /** Overrides meshConfig's localityLbSetting; locality failover needs `outlierDetection` to take effect. */
  readonly localityLbSetting?: LocalityLoadBalancerSetting;
  /** @deprecated Duration of slow start for new endpoints; use `warmup`. */
  readonly warmupDurationSecs?: string;
  /** Slow start: new endpoints get a gradually growing share of traffic. */
  readonly warmup?: WarmupConfiguration;
}

/** `UNSPECIFIED` lets Istio pick (LEAST_REQUEST); `PASSTHROUGH` forwards to the original destination IP. */
export type SimpleLB =
  'UNSPECIFIED' | 'LEAST_CONN' | 'RANDOM' | 'PASSTHROUGH' | 'ROUND_ROBIN' | 'LEAST_REQUEST';

/** Session affinity by hash; exactly one hash key (header, cookie, source IP or query parameter). */
export interface ConsistentHashLB {
  readonly httpHeaderName?: string;
  /** The proxy sets the cookie when the request lacks it and `ttl` is set. */
  readonly httpCookie?: HTTPCookie;
  readonly useSourceIp?: boolean;
  readonly httpQueryParameterName?: string;
  /** Ring hash (the algorithm used when neither `ringHash` nor `maglev` is set). */
  readonly ringHash?: RingHash;
  readonly maglev?: MagLev;
  /** @deprecated Use `ringHash.minimumRingSize`. */
  readonly minimumRingSize?: number;
}

export interface HTTPCookie {
  readonly name: string;
  readonly path?: string;
  /** Cookie lifetime (duration). */
  readonly ttl?: string;
  readonly attributes?: readonly HTTPCookieAttribute[];
}

export interface HTTPCookieAttribute {
  readonly name: string;
  readonly value?: string;
}

export interface RingHash {
  /** Virtual nodes on the ring. Default 1024. */
  readonly minimumRingSize?: number;
}

export interface MagLev {
  /** Lookup table size; must be prime. Default 65537. */
  readonly tableSize?: number;
}

/** Locality-aware load balancing; at most one of `distribute`, `failover`, `failoverPriority`. */
export interface LocalityLoadBalancerSetting {
  /** Weighted distribution from a client locality to destination localities. */
  readonly distribute?: readonly LocalityDistribute[];
  /** Region to fail over to when the local region has no healthy endpoints. */
  readonly failover?: readonly LocalityFailover[];
  /** Ordered endpoint labels (e.g. `topology.istio.io/network`); endpoints sharing more with the client come first. */
  readonly failoverPriority?: readonly string[];
  /** Turns locality load balancing on or off for this destination. */
  readonly enabled?: boolean;
}

export interface LocalityDistribute {
  /** `region/zone/subzone` of the client; `*` wildcards allowed. */
  readonly from?: string;
  /** Destination locality → weight; weights add up to 100. */
  readonly to?: Readonly<Record<string, number>>;
}

export interface LocalityFailover {
  /** Client region. */
  readonly from?: string;
  /** Region to use when `from` has no healthy endpoints. */
  readonly to?: string;
}

export interface WarmupConfiguration {
  /** Length of the warm-up window (duration). */
  readonly duration: string;
  /** Share of traffic a new endpoint starts with. Default 10. */
  readonly minimumPercent?: number;
  /** Shape of the ramp: 1.0 (the default) is linear, higher is slower at first. */
  readonly aggression?: number;
}

/** Circuit breakers: limits on connections and requests to each upstream host. */
export interface ConnectionPoolSettings {
  readonly tcp?: TCPConnectionPoolSettings;
  readonly http?: HTTPConnectionPoolSettings;
}

export interface TCPConnectionPoolSettings {
  /** Max HTTP/1.1 or TCP connections per destination. Default 2^32-1 (unlimited). */
  readonly maxConnections?: number;
  /** TCP connect timeout (duration). Default 10s. */
  readonly connectTimeout?: string;
  /** SO_KEEPALIVE; unset fields fall back to the OS settings. */
  readonly tcpKeepalive?: TCPKeepalive;
  /** Connections are closed after this long (duration). Unset: no limit. */
  readonly maxConnectionDuration?: string;
  /** Close connections idle this long (duration). Default 1h. */
  readonly idleTimeout?: string;
}

export interface TCPKeepalive {
  /** Unanswered probes before the connection is dead. OS default (9 on Linux). */
  readonly probes?: number;
  /** Idle time before probing starts (duration). OS default (2h on Linux). */
  readonly time?: string;
  /** Time between probes (duration). OS default (75s on Linux). */
  readonly interval?: string;
}

export interface HTTPConnectionPoolSettings {
  /** Requests queued while waiting for a connection. Default 2^32-1. */
  readonly http1MaxPendingRequests?: number;
  /** Active requests to a destination. Default 2^32-1. */
  readonly http2MaxRequests?: number;
  /** Requests per connection; 1 disables keep-alive. Unset or 0: unlimited. */
  readonly maxRequestsPerConnection?: number;
  /** Concurrent retries across all hosts of the cluster. Default 2^32-1. */
  readonly maxRetries?: number;
  /** Close connections with no active request for this long (duration). Default 1h. */
  readonly idleTimeout?: string;
  /** `DEFAULT` follows meshConfig.h2UpgradePolicy (itself DO_NOT_UPGRADE by default). */
  readonly h2UpgradePolicy?: ConnectionPoolH2UpgradePolicy;
  /** Use the downstream's HTTP version upstream instead of HTTP/1.1. Default false. */
  readonly useClientProtocol?: boolean;
  /** Streams per HTTP/2 connection. Default 2^31-1. */
  readonly maxConcurrentStreams?: number;
}

export type ConnectionPoolH2UpgradePolicy = 'DEFAULT' | 'DO_NOT_UPGRADE' | 'UPGRADE';

/** Passive health checking: eject hosts that keep failing. */
export interface OutlierDetection {
  /** @deprecated Use `consecutive5xxErrors` or `consecutiveGatewayErrors`. */
  readonly consecutiveErrors?: number;
  /** Count local-origin failures (connect, timeout) apart from upstream responses. Default false. */
  readonly splitExternalLocalOriginErrors?: boolean;
  /** Local-origin failures before ejection; only with `splitExternalLocalOriginErrors`. Default 5. */
  readonly consecutiveLocalOriginFailures?: number;
  /** 502/503/504 (and connection failures) before ejection. Unset or 0: disabled. */
  readonly consecutiveGatewayErrors?: number;
  /** 5xx responses (and connection failures) before ejection; 0 disables. Default 5. */
  readonly consecutive5xxErrors?: number;
  /** Time between ejection sweeps (duration). Default 10s. */
  readonly interval?: string;
  /** Minimum ejection time, multiplied by the number of ejections (duration). Default 30s. */
  readonly baseEjectionTime?: string;
  /** Max % of hosts ejected at once. Default 10. */
  readonly maxEjectionPercent?: number;
  /** Below this % of healthy hosts ejection stops and all hosts are used. Default 0 (never). */
  readonly minHealthPercent?: number;
}

/** TLS the client proxy originates towards the destination. */
export interface ClientTLSSettings {
  readonly mode?: TLSMode;
  /** Client certificate file (MUTUAL, unless `credentialName`). */
  readonly clientCertificate?: string;
  /** Client key file (MUTUAL, unless `credentialName`). */
  readonly privateKey?: string;
  /** CA bundle file for verifying the server. Unset: the system's root certificates. */
  readonly caCertificates?: string;
  /** Certificate revocation list file. */
  readonly caCrl?: string;
  /** Secret holding client cert, key and CA (instead of the three file fields). */
  readonly credentialName?: string;
  /** Accepted server SANs. For ISTIO_MUTUAL, unset means the destination's service-account identities. */
  readonly subjectAltNames?: readonly string[];
  /** SNI to send. Unset: taken from the request's Host for SIMPLE/MUTUAL (auto SNI). */
  readonly sni?: string;
  /** Skip server certificate and SAN verification. Default false. */
  readonly insecureSkipVerify?: boolean;
}

/** `DISABLE` plaintext; `SIMPLE` TLS; `MUTUAL` with given certs; `ISTIO_MUTUAL` with the mesh's SPIFFE certs. */
export type TLSMode = 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';

/** Tunnel TCP traffic through a proxy. */
export interface TunnelSettings {
  /** `CONNECT` (the default) or `POST`. */
  readonly protocol?: string;
  /** Host (name or IP) the connection is tunnelled to. */
  readonly targetHost: string;
  readonly targetPort: number;
}

export interface ProxyProtocol {
  readonly version?: 'V1' | 'V2';
}

export interface RetryBudget {
  /** Concurrent retries as a % of active plus pending requests. Default 20. */
  readonly percent?: number;
  /** Retries always allowed regardless of `percent`. Default 3. */
  readonly minRetryConcurrency?: number;
}
