// The JSON the dashboard reads from the control plane's older routes (debug, config, Zipkin), written down here
// because the browser bundle may only depend on @heddle/api types, not on the control plane's code.

/** istioctl's words for one xDS type of one proxy. */
export type SyncStatus = 'SYNCED' | 'STALE' | 'NOT SENT' | 'NACKED';

export interface TypeSyncStatus {
  /** `CDS`, `EDS`, `LDS`, `RDS`, `SDS`. */
  readonly type: string;
  readonly typeUrl: string;
  readonly status: SyncStatus;
  readonly sentVersion?: string;
  readonly ackedVersion?: string;
  readonly resources: number;
  readonly rejects: number;
  readonly lastError?: { readonly version: string; readonly code: number; readonly message: string };
}

/** One row of GET /debug/syncz. */
export interface ProxySyncStatus {
  /** The xDS node id. */
  readonly proxy: string;
  readonly role: string;
  readonly namespace: string;
  readonly workload: string;
  readonly version?: string;
  readonly stream: string;
  readonly connectedAt: string;
  readonly controlPlane: string;
  readonly types: readonly TypeSyncStatus[];
}

/** One stored Istio resource of GET /apis/v1/resources. */
export interface StoredResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly resourceVersion: string;
    readonly generation: number;
    readonly creationTimestamp: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec?: unknown;
}

export interface ResourceList {
  readonly revision: number;
  readonly items: readonly StoredResource[];
}

/** One service of GET /debug/registryz. */
export interface RegistryService {
  readonly hostname: string;
  readonly namespace: string;
  readonly name: string;
  readonly ports: readonly { readonly name: string; readonly number: number; readonly protocol: string }[];
  readonly location: string;
  readonly origin: string;
  readonly endpoints: readonly {
    readonly address: string;
    readonly namespace: string;
    readonly workloadName?: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly healthy: boolean;
    readonly tlsMode: string;
  }[];
}

export interface ZipkinEndpoint {
  readonly serviceName?: string;
  readonly ipv4?: string;
  readonly port?: number;
}

/** A Zipkin v2 span as GET /api/v2/traces returns it (times in microseconds). */
export interface ZipkinSpan {
  readonly traceId: string;
  readonly id: string;
  readonly parentId?: string;
  readonly name?: string;
  readonly kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  readonly timestamp?: number;
  readonly duration?: number;
  readonly localEndpoint?: ZipkinEndpoint;
  readonly remoteEndpoint?: ZipkinEndpoint;
  readonly tags?: Readonly<Record<string, string>>;
}
