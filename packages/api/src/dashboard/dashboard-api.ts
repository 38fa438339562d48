// The shapes of the control plane's dashboard API (`/apis/v1/dashboard/*`): what the web dashboard reads.
// Traffic figures come from the control plane scraping each connected proxy's Istio standard metrics
// (`istio_requests_total`, `istio_request_duration_milliseconds`, `istio_tcp_*`) every few seconds and
// keeping a short rolling history; rates are per second over the requested window.

/** GET /apis/v1/dashboard/overview?window=<seconds> (default 60) */
export interface DashboardOverview {
  readonly generatedAt: string;
  readonly controlPlane: {
    readonly version: string;
    /** The replica's id, as proxy-status prints it. */
    readonly id: string;
    readonly startedAt: string;
    /** `sqlite`, `memory`, `etcd`, `kubernetes`. */
    readonly store: string;
    readonly caEnabled: boolean;
  };
  readonly proxies: {
    readonly total: number;
    readonly synced: number;
    readonly stale: number;
    readonly nacked: number;
    readonly notSent: number;
  };
  /** Stored Istio resources, by kind. */
  readonly config: { readonly total: number; readonly byKind: Readonly<Record<string, number>> };
  readonly services: number;
  readonly workloads: number;
  readonly findings: { readonly errors: number; readonly warnings: number; readonly infos: number };
  /** Mesh-wide inbound traffic (reporter=destination) over the last `windowSeconds`. */
  readonly traffic: TrafficFigures & { readonly windowSeconds: number };
  readonly scrape: ScrapeStatus;
}

export interface ScrapeStatus {
  readonly intervalSeconds: number;
  /** Proxies that announced a metrics URL. */
  readonly targets: number;
  /** Targets whose last scrape succeeded. */
  readonly healthy: number;
  readonly lastScrapeAt?: string;
}

export interface TrafficFigures {
  readonly requestsPerSecond: number;
  /** Fraction of requests answered 5xx, 0..1; 0 when there were no requests. */
  readonly errorRate: number;
  /** Absent when there were no requests in the window. */
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

export type GraphNodeKind = 'workload' | 'service' | 'gateway' | 'external' | 'unknown';

export interface GraphNode {
  /** Stable across refreshes, e.g. `workload:shop/product-v2`, `service:shop/product.shop.svc.cluster.local`. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  readonly label: string;
  readonly namespace: string;
  readonly app?: string;
  readonly version?: string;
  readonly workload?: string;
  /** The service's host name (for `service` nodes). */
  readonly service?: string;
  /** Connected proxies of this workload, and how many of them are SYNCED on every type. */
  readonly proxies?: number;
  readonly syncedProxies?: number;
  /** Inbound traffic to this node over the window. */
  readonly traffic?: TrafficFigures;
}

export interface GraphEdge {
  /** `${source}->${target}` */
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly protocol: 'http' | 'grpc' | 'tcp';
  readonly traffic: TrafficFigures;
  /** Requests per second by response code (`200`, `503` …); empty for TCP. */
  readonly responseCodes: Readonly<Record<string, number>>;
  /** Bytes per second both ways, for TCP edges. */
  readonly bytesPerSecond?: number;
  /** True when every observed request on this edge used mutual TLS. */
  readonly mtls: boolean;
}

/** GET /apis/v1/dashboard/graph?window=<seconds>&namespace=<ns> */
export interface MeshGraph {
  readonly generatedAt: string;
  readonly windowSeconds: number;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/**
 * GET /apis/v1/dashboard/series?namespace=<ns>&service=<host>|workload=<name>&window=<seconds>
 * One point per scrape step; `null` where no request was seen (uPlot draws a gap).
 */
export interface TrafficSeries {
  readonly namespace: string;
  readonly service?: string;
  readonly workload?: string;
  readonly stepSeconds: number;
  /** Unix seconds. */
  readonly timestamps: readonly number[];
  readonly requestsPerSecond: readonly number[];
  readonly errorRate: readonly (number | null)[];
  readonly p50Ms: readonly (number | null)[];
  readonly p99Ms: readonly (number | null)[];
}

/** GET /apis/v1/dashboard/findings: the analyzers over the stored config and the registry. */
export interface DashboardFindings {
  readonly generatedAt: string;
  readonly findings: readonly {
    readonly code: string;
    readonly level: 'Error' | 'Warning' | 'Info';
    readonly message: string;
    readonly resource?: string;
    readonly field?: string;
  }[];
}
