// One endpoint as compiled from a ClusterLoadAssignment (EDS or inline): where it is, how it weighs, and what
// it is labelled with. DNS clusters turn one spec into one host per resolved address.

export type EdsHealth = 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY' | 'DRAINING' | 'TIMEOUT' | 'DEGRADED';

export interface EndpointSpec {
  /** IP, DNS name (DNS clusters only) or, for a pipe, the socket path. */
  readonly address: string;
  /** 0 for a pipe. */
  readonly port: number;
  readonly pipe: boolean;
  /** Endpoint.hostname, when set. */
  readonly hostname: string;
  readonly health: EdsHealth;
  /** load_balancing_weight, 1 when unset. */
  readonly weight: number;
  readonly priority: number;
  /** `region/zone/sub_zone`, '' when the endpoint has no locality. */
  readonly locality: string;
  /** The locality's load_balancing_weight; 0 when unset. */
  readonly localityWeight: number;
  /** String values of the endpoint's filter metadata, keyed `<filter>.<key>`. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The `envoy.transport_socket_match` metadata that transport_socket_matches select on. */
  readonly socketMatch: Readonly<Record<string, string>>;
}

/** EDS and health-check statuses Envoy routes to: UNKNOWN counts as healthy, DEGRADED as available. */
export function isAvailable(health: EdsHealth): boolean {
  return health === 'HEALTHY' || health === 'UNKNOWN' || health === 'DEGRADED';
}
