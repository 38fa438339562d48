// The services and endpoints the translator routes to, as the registry builds them from ServiceEntry,
// WorkloadEntry, WorkloadGroup, v1 Service manifests and running workloads.

/** Istio's protocol names for a service port (from Gateway/ServiceEntry protocol, appProtocol or name prefix). */
export type PortProtocol =
  'HTTP' | 'HTTP2' | 'HTTPS' | 'GRPC' | 'GRPC-WEB' | 'TCP' | 'TLS' | 'MONGO' | 'REDIS' | 'MYSQL' | 'UDP';

export interface ServicePort {
  readonly name: string;
  readonly number: number;
  readonly protocol: PortProtocol;
  /** Port on the workload when it differs from the service port. */
  readonly targetPort?: number;
}

/** How the proxy finds the addresses behind a service (ServiceEntry resolution). */
export type Resolution = 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN' | 'NONE';

export interface Locality {
  readonly region?: string;
  readonly zone?: string;
  readonly subzone?: string;
}

export interface ServiceEndpoint {
  /** IP address, host name (DNS resolution) or `unix://` path. */
  readonly address: string;
  /** Target port per service port name. */
  readonly ports: Readonly<Record<string, number>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount?: string;
  readonly namespace: string;
  /** Name of the workload (WorkloadEntry or running workload) behind this endpoint. */
  readonly workloadName?: string;
  readonly locality?: Locality;
  readonly network?: string;
  readonly weight?: number;
  readonly healthy: boolean;
  /** True when the endpoint's proxy accepts Istio mTLS (it runs a Heddle sidecar). */
  readonly tlsMode: 'istio' | 'disabled';
}

export interface MeshService {
  /** Fully qualified host name, e.g. `reviews.default.svc.cluster.local`. */
  readonly hostname: string;
  readonly namespace: string;
  /** Short name (metadata name of the Service or ServiceEntry). */
  readonly name: string;
  readonly ports: readonly ServicePort[];
  readonly resolution: Resolution;
  readonly location: 'MESH_INTERNAL' | 'MESH_EXTERNAL';
  /** Virtual IPs (ServiceEntry addresses, Service clusterIP). */
  readonly addresses: readonly string[];
  /** Namespaces that may see this service (`*` for all, the default). */
  readonly exportTo: readonly string[];
  readonly endpoints: readonly ServiceEndpoint[];
  /** Where the service came from, for `x describe` and debugging: `ServiceEntry ns/name`, `Service ns/name`. */
  readonly origin: string;
}
