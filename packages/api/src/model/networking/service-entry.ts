// The ServiceEntry spec: adds services (external APIs, VMs, hosts outside the registry) to the mesh registry.
import type { WorkloadSelector } from '../common.ts';
import type { NetworkingApiVersion, Resource } from '../resource.ts';
import type { WorkloadEntrySpec } from './workload.ts';

export type ServiceEntry = Resource<'ServiceEntry', ServiceEntrySpec, NetworkingApiVersion>;

export interface ServiceEntrySpec {
  /** Host names of the service; matched against Host for HTTP, SNI for TLS. Wildcards allowed. */
  readonly hosts: readonly string[];
  /** Virtual IPs or CIDRs; for TCP without them, the port alone identifies the service. */
  readonly addresses?: readonly string[];
  readonly ports?: readonly ServicePort[];
  /** Default MESH_EXTERNAL. */
  readonly location?: Location;
  /** Default NONE. */
  readonly resolution?: Resolution;
  /** Static endpoints (WorkloadEntry-shaped). Unset with DNS resolution: the hosts themselves are resolved. */
  readonly endpoints?: readonly WorkloadEntrySpec[];
  /** Selects pods and WorkloadEntries as endpoints (MESH_INTERNAL only); exclusive with `endpoints`. */
  readonly workloadSelector?: WorkloadSelector;
  /** Namespaces that see this resource: `*` all (the default), `.` its own. */
  readonly exportTo?: readonly string[];
  /** Accepted SANs of the endpoints' server certificates. */
  readonly subjectAltNames?: readonly string[];
}

export interface ServicePort {
  readonly number: number;
  /**
   * One of HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP, TLS. TLS routes on SNI. Unset: inferred from the name
   * prefix (`http-…`) or detected from the traffic.
   */
  readonly protocol?: string;
  readonly name: string;
  /** Port on the endpoints when it differs from `number` (endpoint `ports` take precedence). */
  readonly targetPort?: number;
}

/** MESH_INTERNAL services get mTLS and inbound policy; MESH_EXTERNAL ones are outside (no sidecar). */
export type Location = 'MESH_EXTERNAL' | 'MESH_INTERNAL';

/**
 * `NONE`: forward to the connection's original destination IP; `STATIC`: the endpoint addresses;
 * `DNS`: resolve and balance over all returned IPs; `DNS_ROUND_ROBIN`: resolve and connect to the
 * first returned IP (for hosts with many IPs); `DYNAMIC_DNS`: resolve per request (wildcard hosts).
 */
export type Resolution = 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN' | 'DYNAMIC_DNS';
