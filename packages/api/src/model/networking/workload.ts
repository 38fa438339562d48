// WorkloadEntry and WorkloadGroup specs: non-Kubernetes workloads (VMs, `heddle run` processes) in the mesh.
import type { Labels } from '../common.ts';
import type { NetworkingApiVersion, Resource } from '../resource.ts';

export type WorkloadEntry = Resource<'WorkloadEntry', WorkloadEntrySpec, NetworkingApiVersion>;
export type WorkloadGroup = Resource<'WorkloadGroup', WorkloadGroupSpec, NetworkingApiVersion>;

/** One workload instance; also the shape of ServiceEntry endpoints and WorkloadGroup templates. */
export interface WorkloadEntrySpec {
  /** IP, DNS name (resolved by the proxy) or `unix://` path. Unset: reached through its network's gateway. */
  readonly address?: string;
  /** Service port name → port on this workload. Unset for a port: the service port (or its targetPort). */
  readonly ports?: Readonly<Record<string, number>>;
  /** Matched by Service / ServiceEntry selectors and DestinationRule subsets. */
  readonly labels?: Labels;
  /** Network the workload is on; endpoints on other networks are reached through that network's gateway. */
  readonly network?: string;
  /** `region/zone/subzone`. */
  readonly locality?: string;
  /** Relative load-balancing weight; unset counts as 1. */
  readonly weight?: number;
  /** Identity (SPIFFE `spiffe://<trust-domain>/ns/<namespace>/sa/<serviceAccount>`); same namespace. */
  readonly serviceAccount?: string;
}

/** A template for auto-registered WorkloadEntries, with their health check. */
export interface WorkloadGroupSpec {
  /** Labels and annotations copied onto every WorkloadEntry created from this group. */
  readonly metadata?: WorkloadGroupObjectMeta;
  /** Address and labels come from the workload itself at registration. */
  readonly template: WorkloadEntrySpec;
  /** Health check the proxy runs against its workload; unhealthy entries leave the endpoint lists. */
  readonly probe?: ReadinessProbe;
}

export interface WorkloadGroupObjectMeta {
  readonly labels?: Labels;
  readonly annotations?: Labels;
}

/** Kubernetes-style readiness probe; exactly one of `httpGet`, `tcpSocket`, `exec`, `grpc`. */
export interface ReadinessProbe {
  /** Default 0. */
  readonly initialDelaySeconds?: number;
  /** Default 1. */
  readonly timeoutSeconds?: number;
  /** Default 10. */
  readonly periodSeconds?: number;
  /** Successes needed to become ready again. Default 1. */
  readonly successThreshold?: number;
  /** Failures needed to become not ready. Default 3. */
  readonly failureThreshold?: number;
  readonly httpGet?: HTTPHealthCheckConfig;
  readonly tcpSocket?: TCPHealthCheckConfig;
  readonly exec?: ExecHealthCheckConfig;
  readonly grpc?: GrpcHealthCheckConfig;
}

/** Healthy on a 2xx/3xx response. */
export interface HTTPHealthCheckConfig {
  readonly path?: string;
  readonly port: number;
  /** Unset: the workload's IP. */
  readonly host?: string;
  /** `HTTP` (the default) or `HTTPS`. */
  readonly scheme?: string;
  readonly httpHeaders?: readonly HTTPHeader[];
}

export interface HTTPHeader {
  readonly name?: string;
  readonly value?: string;
}

/** Healthy when a TCP connection opens. */
export interface TCPHealthCheckConfig {
  /** Unset: the workload's IP. */
  readonly host?: string;
  readonly port: number;
}

/** Healthy when the command exits 0. */
export interface ExecHealthCheckConfig {
  readonly command: readonly string[];
}

/** gRPC health checking protocol. */
export interface GrpcHealthCheckConfig {
  readonly port?: number;
  /** Service name sent in the health check request; unset: the server's overall health. */
  readonly service?: string;
}
